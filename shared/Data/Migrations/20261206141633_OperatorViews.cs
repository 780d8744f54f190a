using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BotSociety.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class OperatorViews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "failed_heartbeats",
                table: "bots",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "failing_since",
                table: "bots",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_failure_kind",
                table: "bots",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "actor",
                table: "activity_log",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "alert_rules",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    bot_id = table.Column<int>(type: "INTEGER", nullable: true),
                    count = table.Column<int>(type: "INTEGER", nullable: true),
                    window_minutes = table.Column<int>(type: "INTEGER", nullable: true),
                    percent = table.Column<double>(type: "REAL", nullable: true),
                    points = table.Column<double>(type: "REAL", nullable: true),
                    webhook_url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    secret = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_rules", x => x.id);
                    table.ForeignKey(
                        name: "FK_alert_rules_bots_bot_id",
                        column: x => x.bot_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "model_traces",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    activity_id = table.Column<long>(type: "INTEGER", nullable: true),
                    bot_id = table.Column<int>(type: "INTEGER", nullable: true),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    provider = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    model = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    messages = table.Column<string>(type: "TEXT", nullable: false),
                    completion = table.Column<string>(type: "TEXT", nullable: true),
                    input_tokens = table.Column<int>(type: "INTEGER", nullable: false),
                    output_tokens = table.Column<int>(type: "INTEGER", nullable: false),
                    cached_input_tokens = table.Column<int>(type: "INTEGER", nullable: false),
                    latency_ms = table.Column<double>(type: "REAL", nullable: false),
                    cost_usd = table.Column<double>(type: "REAL", nullable: true),
                    retries = table.Column<int>(type: "INTEGER", nullable: false),
                    failure_kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    failure = table.Column<string>(type: "TEXT", nullable: true),
                    size_bytes = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_model_traces", x => x.id);
                    table.ForeignKey(
                        name: "FK_model_traces_activity_log_activity_id",
                        column: x => x.activity_id,
                        principalTable: "activity_log",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_model_traces_bots_bot_id",
                        column: x => x.bot_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "model_usage",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    provider = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    model = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    calls = table.Column<long>(type: "INTEGER", nullable: false),
                    failures = table.Column<long>(type: "INTEGER", nullable: false),
                    input_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    output_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    cost_usd = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_model_usage", x => new { x.day, x.provider, x.model, x.kind });
                });

            migrationBuilder.CreateTable(
                name: "alert_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    alert_id = table.Column<int>(type: "INTEGER", nullable: false),
                    activity_id = table.Column<long>(type: "INTEGER", nullable: true),
                    body = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    status_code = table.Column<int>(type: "INTEGER", nullable: true),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    finished_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "FK_alert_deliveries_alert_rules_alert_id",
                        column: x => x.alert_id,
                        principalTable: "alert_rules",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "alert_episodes",
                columns: table => new
                {
                    alert_id = table.Column<int>(type: "INTEGER", nullable: false),
                    bot_id = table.Column<int>(type: "INTEGER", nullable: false),
                    firing = table.Column<bool>(type: "INTEGER", nullable: false),
                    fired_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    cleared_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    activity_id = table.Column<long>(type: "INTEGER", nullable: true),
                    message = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    baseline = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_episodes", x => new { x.alert_id, x.bot_id });
                    table.ForeignKey(
                        name: "FK_alert_episodes_alert_rules_alert_id",
                        column: x => x.alert_id,
                        principalTable: "alert_rules",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_alert_deliveries_alert_id_created_at",
                table: "alert_deliveries",
                columns: new[] { "alert_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_alert_deliveries_status",
                table: "alert_deliveries",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "IX_alert_episodes_firing",
                table: "alert_episodes",
                column: "firing");

            migrationBuilder.CreateIndex(
                name: "IX_alert_rules_bot_id",
                table: "alert_rules",
                column: "bot_id");

            migrationBuilder.CreateIndex(
                name: "IX_model_traces_activity_id",
                table: "model_traces",
                column: "activity_id");

            migrationBuilder.CreateIndex(
                name: "IX_model_traces_bot_id",
                table: "model_traces",
                column: "bot_id");

            migrationBuilder.CreateIndex(
                name: "IX_model_traces_created_at",
                table: "model_traces",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_model_traces_provider_created_at",
                table: "model_traces",
                columns: new[] { "provider", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alert_deliveries");

            migrationBuilder.DropTable(
                name: "alert_episodes");

            migrationBuilder.DropTable(
                name: "model_traces");

            migrationBuilder.DropTable(
                name: "model_usage");

            migrationBuilder.DropTable(
                name: "alert_rules");

            migrationBuilder.DropColumn(
                name: "failed_heartbeats",
                table: "bots");

            migrationBuilder.DropColumn(
                name: "failing_since",
                table: "bots");

            migrationBuilder.DropColumn(
                name: "last_failure_kind",
                table: "bots");

            migrationBuilder.DropColumn(
                name: "actor",
                table: "activity_log");
        }
    }
}
