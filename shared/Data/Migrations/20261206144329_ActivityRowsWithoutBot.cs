using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BotSociety.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ActivityRowsWithoutBot : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // SQLite cannot drop a NOT NULL in place: EF rebuilds activity_log through a table named ef_temp_activity_log,
            // with foreign keys off, which must happen outside a transaction. The rebuild is alone in this migration so
            // nothing else is left half-applied, and a leftover of a run that died after creating the temporary table is
            // dropped first, so running the migration again completes it.
            migrationBuilder.Sql("DROP TABLE IF EXISTS \"ef_temp_activity_log\";");
            migrationBuilder.AlterColumn<int>(
                name: "bot_id",
                table: "activity_log",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "INTEGER");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Society-wide rows (a pace change) have no bot and cannot stay under NOT NULL.
            migrationBuilder.Sql("DELETE FROM \"activity_log\" WHERE \"bot_id\" IS NULL;");
            migrationBuilder.AlterColumn<int>(
                name: "bot_id",
                table: "activity_log",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
