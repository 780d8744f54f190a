using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BotSociety.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ModelsPricingSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "cached_input_tokens",
                table: "daily_usage",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "unpriced_calls",
                table: "daily_usage",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "paused_reason",
                table: "bots",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "web_search_cache",
                columns: table => new
                {
                    provider = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    query = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    results_json = table.Column<string>(type: "TEXT", nullable: false),
                    fetched_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_web_search_cache", x => new { x.provider, x.query });
                });

            migrationBuilder.CreateTable(
                name: "web_search_days",
                columns: table => new
                {
                    provider = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    requests = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_web_search_days", x => new { x.provider, x.day });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "web_search_cache");

            migrationBuilder.DropTable(
                name: "web_search_days");

            migrationBuilder.DropColumn(
                name: "cached_input_tokens",
                table: "daily_usage");

            migrationBuilder.DropColumn(
                name: "unpriced_calls",
                table: "daily_usage");

            migrationBuilder.DropColumn(
                name: "paused_reason",
                table: "bots");
        }
    }
}
