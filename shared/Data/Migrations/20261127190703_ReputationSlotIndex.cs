using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BotSociety.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReputationSlotIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_reputation_buckets_bucket",
                table: "reputation_buckets");

            migrationBuilder.CreateIndex(
                name: "IX_reputation_buckets_bucket_bot_id_at_score",
                table: "reputation_buckets",
                columns: new[] { "bucket", "bot_id", "at", "score" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_reputation_buckets_bucket_bot_id_at_score",
                table: "reputation_buckets");

            migrationBuilder.CreateIndex(
                name: "IX_reputation_buckets_bucket",
                table: "reputation_buckets",
                column: "bucket");
        }
    }
}
