using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BotSociety.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ThreadSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_threads_reply_count_id",
                table: "threads",
                columns: new[] { "reply_count", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_threads_score_id",
                table: "threads",
                columns: new[] { "score", "id" });

            // Full-text search of threads (GET /api/threads?q=): one row per thread (title and opening) and one per reply,
            // kept by triggers so every writer is indexed in the same transaction as its row, and filled here for an
            // existing society. Porter stemming, as the corpus search's words are folded; nothing is updated in place
            // (threads and replies are never edited), and rows of a deleted thread are dropped by the join that reads them.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE thread_search USING fts5(thread_id UNINDEXED, text, tokenize = 'porter unicode61 remove_diacritics 2');
                INSERT INTO thread_search (thread_id, text) SELECT id, title || ' ' || body FROM threads;
                INSERT INTO thread_search (thread_id, text) SELECT thread_id, body FROM posts;
                CREATE TRIGGER thread_search_threads AFTER INSERT ON threads
                BEGIN INSERT INTO thread_search (thread_id, text) VALUES (new.id, new.title || ' ' || new.body); END;
                CREATE TRIGGER thread_search_posts AFTER INSERT ON posts
                BEGIN INSERT INTO thread_search (thread_id, text) VALUES (new.thread_id, new.body); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER thread_search_threads; DROP TRIGGER thread_search_posts; DROP TABLE thread_search;");

            migrationBuilder.DropIndex(
                name: "IX_threads_reply_count_id",
                table: "threads");

            migrationBuilder.DropIndex(
                name: "IX_threads_score_id",
                table: "threads");
        }
    }
}
