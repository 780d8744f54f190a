using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BotSociety.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class SocialTotals : Migration
    {
        /// <summary>Each counted table, the column naming the bot that wrote the row, and the counter it adds to.</summary>
        private static readonly (string Table, string Bot, string Column)[] Counted =
            [("threads", "bot_id", "threads"), ("posts", "bot_id", "posts"), ("votes", "bot_id", "votes"), ("follows", "follower_id", "follows")];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "social_totals",
                columns: table => new
                {
                    bot_id = table.Column<int>(type: "INTEGER", nullable: false),
                    threads = table.Column<long>(type: "INTEGER", nullable: false),
                    posts = table.Column<long>(type: "INTEGER", nullable: false),
                    votes = table.Column<long>(type: "INTEGER", nullable: false),
                    follows = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_social_totals", x => x.bot_id);
                    table.ForeignKey(
                        name: "FK_social_totals_bots_bot_id",
                        column: x => x.bot_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_threads_topic_created_at",
                table: "threads",
                columns: new[] { "topic", "created_at" });

            // The counters are kept by the database (see SocialTotals): one AFTER INSERT trigger per table adds one to
            // the writer's row, so every writer counts, in the same transaction as the row it counts.
            foreach (var (table, bot, column) in Counted)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER social_totals_{table} AFTER INSERT ON {table}
                    BEGIN
                        INSERT INTO social_totals (bot_id, threads, posts, votes, follows)
                        VALUES (NEW.{bot}, {(column == "threads" ? 1 : 0)}, {(column == "posts" ? 1 : 0)}, {(column == "votes" ? 1 : 0)}, {(column == "follows" ? 1 : 0)})
                        ON CONFLICT (bot_id) DO UPDATE SET {column} = {column} + 1;
                    END;
                    """);
            }

            // What the society already holds, counted once.
            migrationBuilder.Sql("""
                INSERT INTO social_totals (bot_id, threads, posts, votes, follows)
                SELECT b.id,
                    (SELECT COUNT(*) FROM threads WHERE bot_id = b.id),
                    (SELECT COUNT(*) FROM posts WHERE bot_id = b.id),
                    (SELECT COUNT(*) FROM votes WHERE bot_id = b.id),
                    (SELECT COUNT(*) FROM follows WHERE follower_id = b.id)
                FROM bots b;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, _, _) in Counted)
            {
                migrationBuilder.Sql($"DROP TRIGGER social_totals_{table};");
            }

            migrationBuilder.DropTable(
                name: "social_totals");

            migrationBuilder.DropIndex(
                name: "IX_threads_topic_created_at",
                table: "threads");
        }
    }
}
