using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BotSociety.Migrations.Postgres.Migrations
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
            // with a GIN index over the english configuration's stemmed words, kept by triggers so every writer is indexed
            // in the same transaction as its row, and filled here for an existing society. A thread's rows go with it.
            migrationBuilder.Sql("""
                CREATE TABLE thread_search (
                    thread_id integer NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
                    document tsvector NOT NULL);
                INSERT INTO thread_search (thread_id, document) SELECT id, to_tsvector('english', title || ' ' || body) FROM threads;
                INSERT INTO thread_search (thread_id, document) SELECT thread_id, to_tsvector('english', body) FROM posts;
                CREATE INDEX ix_thread_search_document ON thread_search USING gin (document);
                CREATE FUNCTION thread_search_threads() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO thread_search (thread_id, document) VALUES (NEW.id, to_tsvector('english', NEW.title || ' ' || NEW.body));
                    RETURN NULL;
                END $$;
                CREATE FUNCTION thread_search_posts() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO thread_search (thread_id, document) VALUES (NEW.thread_id, to_tsvector('english', NEW.body));
                    RETURN NULL;
                END $$;
                CREATE TRIGGER thread_search_threads AFTER INSERT ON threads FOR EACH ROW EXECUTE FUNCTION thread_search_threads();
                CREATE TRIGGER thread_search_posts AFTER INSERT ON posts FOR EACH ROW EXECUTE FUNCTION thread_search_posts();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER thread_search_threads ON threads; DROP TRIGGER thread_search_posts ON posts;
                DROP FUNCTION thread_search_threads(); DROP FUNCTION thread_search_posts(); DROP TABLE thread_search;
                """);

            migrationBuilder.DropIndex(
                name: "IX_threads_reply_count_id",
                table: "threads");

            migrationBuilder.DropIndex(
                name: "IX_threads_score_id",
                table: "threads");
        }
    }
}
