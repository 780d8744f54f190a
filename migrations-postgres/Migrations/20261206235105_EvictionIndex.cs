using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BotSociety.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class EvictionIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_warm_memories_bot_id_category_importance",
                table: "warm_memories");

            migrationBuilder.CreateIndex(
                name: "IX_warm_memories_bot_id_category_importance_updated_at",
                table: "warm_memories",
                columns: new[] { "bot_id", "category", "importance", "updated_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_warm_memories_bot_id_category_importance_updated_at",
                table: "warm_memories");

            migrationBuilder.CreateIndex(
                name: "IX_warm_memories_bot_id_category_importance",
                table: "warm_memories",
                columns: new[] { "bot_id", "category", "importance" });
        }
    }
}
