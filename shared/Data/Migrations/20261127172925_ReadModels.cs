using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BotSociety.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReadModels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "activity_counts",
                columns: table => new
                {
                    bot_id = table.Column<int>(type: "INTEGER", nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_activity_counts", x => new { x.bot_id, x.action });
                    table.ForeignKey(
                        name: "FK_activity_counts_bots_bot_id",
                        column: x => x.bot_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "reputation_buckets",
                columns: table => new
                {
                    bot_id = table.Column<int>(type: "INTEGER", nullable: false),
                    bucket = table.Column<DateTime>(type: "TEXT", nullable: false),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    score = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reputation_buckets", x => new { x.bot_id, x.bucket });
                    table.ForeignKey(
                        name: "FK_reputation_buckets_bots_bot_id",
                        column: x => x.bot_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_votes_created_at",
                table: "votes",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_reputation_buckets_bucket",
                table: "reputation_buckets",
                column: "bucket");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "activity_counts");

            migrationBuilder.DropTable(
                name: "reputation_buckets");

            migrationBuilder.DropIndex(
                name: "IX_votes_created_at",
                table: "votes");
        }
    }
}
