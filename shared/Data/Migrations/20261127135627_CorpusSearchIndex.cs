using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BotSociety.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class CorpusSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Full-text index of the offline search corpus (FTS5, ranked with bm25). SQLite-only, like
            // OfflineCorpusSearch, the one class that queries it; the rows are loaded at start.
            migrationBuilder.Sql(
                "CREATE VIRTUAL TABLE corpus_fts USING fts5(article_id UNINDEXED, topic, title, body, tokenize = 'porter unicode61');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE corpus_fts;");
        }
    }
}
