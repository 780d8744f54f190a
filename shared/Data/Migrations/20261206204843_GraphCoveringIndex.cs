using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BotSociety.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class GraphCoveringIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_relationship_events_bot_id_other_bot_id_created_at",
                table: "relationship_events");

            migrationBuilder.CreateIndex(
                name: "IX_relationship_events_bot_id_other_bot_id_created_at_kind_sentiment_delta",
                table: "relationship_events",
                columns: new[] { "bot_id", "other_bot_id", "created_at", "kind", "sentiment_delta" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_relationship_events_bot_id_other_bot_id_created_at_kind_sentiment_delta",
                table: "relationship_events");

            migrationBuilder.CreateIndex(
                name: "IX_relationship_events_bot_id_other_bot_id_created_at",
                table: "relationship_events",
                columns: new[] { "bot_id", "other_bot_id", "created_at" });
        }
    }
}
