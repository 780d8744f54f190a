using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BotSociety.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CorpusTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The search ranks with FTS5's BM25 over the tokens FTS5 would make, so both databases answer a query alike
            // (ts_rank over english stems agreed on the best article but seldom on the next ones). The articles are
            // indexed again at start: an article counts as indexed once its token count is written.
            migrationBuilder.Sql("""
                DROP INDEX ix_corpus_fts_search;
                ALTER TABLE corpus_fts DROP COLUMN search;
                ALTER TABLE corpus_fts ADD COLUMN tokens integer NOT NULL DEFAULT 0;
                CREATE TABLE corpus_terms (
                    term text NOT NULL,
                    article_id text NOT NULL REFERENCES corpus_fts (article_id) ON DELETE CASCADE,
                    col smallint NOT NULL,
                    tf integer NOT NULL,
                    PRIMARY KEY (term, article_id, col)
                );
                CREATE INDEX ix_corpus_terms_prefix ON corpus_terms (term text_pattern_ops);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TABLE corpus_terms;
                ALTER TABLE corpus_fts DROP COLUMN tokens;
                ALTER TABLE corpus_fts ADD COLUMN search tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', title), 'A')
                    || setweight(to_tsvector('english', body), 'B')
                    || setweight(to_tsvector('english', topic), 'C')) STORED;
                CREATE INDEX ix_corpus_fts_search ON corpus_fts USING gin (search);
                """);
        }
    }
}
