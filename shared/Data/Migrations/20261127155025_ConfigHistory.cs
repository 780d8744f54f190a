using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BotSociety.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ConfigHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "config_version",
                table: "bots",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "config_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    bot_id = table.Column<int>(type: "INTEGER", nullable: false),
                    changed_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    fields = table.Column<string>(type: "TEXT", nullable: false),
                    before = table.Column<string>(type: "TEXT", nullable: false),
                    after = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_config_changes", x => x.id);
                    table.ForeignKey(
                        name: "FK_config_changes_bots_bot_id",
                        column: x => x.bot_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_config_changes_bot_id_changed_at",
                table: "config_changes",
                columns: new[] { "bot_id", "changed_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "config_changes");

            migrationBuilder.DropColumn(
                name: "config_version",
                table: "bots");
        }
    }
}
