using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BotSociety.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class HeartbeatClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "claimed_by",
                table: "bots",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "claimed_until",
                table: "bots",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_bots_claimed_by",
                table: "bots",
                column: "claimed_by");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_bots_claimed_by",
                table: "bots");

            migrationBuilder.DropColumn(
                name: "claimed_by",
                table: "bots");

            migrationBuilder.DropColumn(
                name: "claimed_until",
                table: "bots");
        }
    }
}
