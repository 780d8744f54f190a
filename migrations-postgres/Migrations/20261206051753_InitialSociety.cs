using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BotSociety.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class InitialSociety : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "bots",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    persona_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    personality_config = table.Column<string>(type: "text", nullable: false),
                    config_version = table.Column<int>(type: "integer", nullable: false),
                    reputation_score = table.Column<double>(type: "double precision", nullable: false),
                    daily_token_cap = table.Column<long>(type: "bigint", nullable: true),
                    daily_cost_cap_usd = table.Column<double>(type: "double precision", nullable: true),
                    is_paused = table.Column<bool>(type: "boolean", nullable: false),
                    paused_reason = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    next_heartbeat_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_heartbeat_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    heartbeat_count = table.Column<long>(type: "bigint", nullable: false),
                    capped_on = table.Column<DateOnly>(type: "date", nullable: true),
                    claimed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    claimed_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bots", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "society_settings",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    pace = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    seed = table.Column<long>(type: "bigint", nullable: false),
                    tick_count = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_society_settings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "web_search_cache",
                columns: table => new
                {
                    provider = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    query = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    results_json = table.Column<string>(type: "text", nullable: false),
                    fetched_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_web_search_cache", x => new { x.provider, x.query });
                });

            migrationBuilder.CreateTable(
                name: "web_search_days",
                columns: table => new
                {
                    provider = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    requests = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_web_search_days", x => new { x.provider, x.day });
                });

            migrationBuilder.CreateTable(
                name: "activity_counts",
                columns: table => new
                {
                    bot_id = table.Column<int>(type: "integer", nullable: false),
                    action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false)
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
                name: "activity_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    event_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    bot_id = table.Column<int>(type: "integer", nullable: false),
                    action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    details = table.Column<string>(type: "text", nullable: false),
                    input_tokens = table.Column<int>(type: "integer", nullable: false),
                    output_tokens = table.Column<int>(type: "integer", nullable: false),
                    cost_usd = table.Column<double>(type: "double precision", nullable: false),
                    model = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_activity_log", x => x.id);
                    table.ForeignKey(
                        name: "FK_activity_log_bots_bot_id",
                        column: x => x.bot_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "config_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    bot_id = table.Column<int>(type: "integer", nullable: false),
                    changed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    fields = table.Column<string>(type: "text", nullable: false),
                    before = table.Column<string>(type: "text", nullable: false),
                    after = table.Column<string>(type: "text", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "daily_usage",
                columns: table => new
                {
                    bot_id = table.Column<int>(type: "integer", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    input_tokens = table.Column<long>(type: "bigint", nullable: false),
                    output_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cached_input_tokens = table.Column<long>(type: "bigint", nullable: false),
                    unpriced_calls = table.Column<int>(type: "integer", nullable: false),
                    estimated_cost_usd = table.Column<double>(type: "double precision", nullable: false),
                    calls = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_daily_usage", x => new { x.bot_id, x.day });
                    table.ForeignKey(
                        name: "FK_daily_usage_bots_bot_id",
                        column: x => x.bot_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "follows",
                columns: table => new
                {
                    follower_id = table.Column<int>(type: "integer", nullable: false),
                    followee_id = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_follows", x => new { x.follower_id, x.followee_id });
                    table.CheckConstraint("ck_follows_not_self", "follower_id <> followee_id");
                    table.ForeignKey(
                        name: "FK_follows_bots_followee_id",
                        column: x => x.followee_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_follows_bots_follower_id",
                        column: x => x.follower_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "reputation_buckets",
                columns: table => new
                {
                    bot_id = table.Column<int>(type: "integer", nullable: false),
                    bucket = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    score = table.Column<double>(type: "double precision", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "threads",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    bot_id = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    topic = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_activity_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    reply_count = table.Column<int>(type: "integer", nullable: false),
                    score = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_threads", x => x.id);
                    table.ForeignKey(
                        name: "FK_threads_bots_bot_id",
                        column: x => x.bot_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "votes",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    bot_id = table.Column<int>(type: "integer", nullable: false),
                    target_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    target_id = table.Column<int>(type: "integer", nullable: false),
                    target_bot_id = table.Column<int>(type: "integer", nullable: false),
                    value = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_votes", x => x.id);
                    table.CheckConstraint("ck_votes_value", "value IN (-1, 1)");
                    table.ForeignKey(
                        name: "FK_votes_bots_bot_id",
                        column: x => x.bot_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "cold_memories",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    bot_id = table.Column<int>(type: "integer", nullable: false),
                    period_start = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    period_end = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    summary = table.Column<string>(type: "text", nullable: false),
                    activity_count = table.Column<int>(type: "integer", nullable: false),
                    activity_id = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cold_memories", x => x.id);
                    table.ForeignKey(
                        name: "FK_cold_memories_activity_log_activity_id",
                        column: x => x.activity_id,
                        principalTable: "activity_log",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_cold_memories_bots_bot_id",
                        column: x => x.bot_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "relationship_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    bot_id = table.Column<int>(type: "integer", nullable: false),
                    other_bot_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    sentiment_delta = table.Column<double>(type: "double precision", nullable: false),
                    activity_id = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_relationship_events", x => x.id);
                    table.ForeignKey(
                        name: "FK_relationship_events_activity_log_activity_id",
                        column: x => x.activity_id,
                        principalTable: "activity_log",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_relationship_events_bots_bot_id",
                        column: x => x.bot_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_relationship_events_bots_other_bot_id",
                        column: x => x.other_bot_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "warm_memories",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    bot_id = table.Column<int>(type: "integer", nullable: false),
                    category = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    content = table.Column<string>(type: "text", nullable: false),
                    source = table.Column<string>(type: "text", nullable: true),
                    about_bot_id = table.Column<int>(type: "integer", nullable: true),
                    sentiment = table.Column<double>(type: "double precision", nullable: false),
                    importance = table.Column<double>(type: "double precision", nullable: false),
                    activity_id = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_warm_memories", x => x.id);
                    table.ForeignKey(
                        name: "FK_warm_memories_activity_log_activity_id",
                        column: x => x.activity_id,
                        principalTable: "activity_log",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_warm_memories_bots_bot_id",
                        column: x => x.bot_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "posts",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    thread_id = table.Column<int>(type: "integer", nullable: false),
                    bot_id = table.Column<int>(type: "integer", nullable: false),
                    parent_post_id = table.Column<int>(type: "integer", nullable: true),
                    body = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    score = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_posts", x => x.id);
                    table.ForeignKey(
                        name: "FK_posts_bots_bot_id",
                        column: x => x.bot_id,
                        principalTable: "bots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_posts_posts_parent_post_id",
                        column: x => x.parent_post_id,
                        principalTable: "posts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_posts_threads_thread_id",
                        column: x => x.thread_id,
                        principalTable: "threads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_activity_log_action_created_at",
                table: "activity_log",
                columns: new[] { "action", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_activity_log_bot_id_created_at",
                table: "activity_log",
                columns: new[] { "bot_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_activity_log_created_at",
                table: "activity_log",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_activity_log_event_id",
                table: "activity_log",
                column: "event_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_bots_claimed_by",
                table: "bots",
                column: "claimed_by");

            migrationBuilder.CreateIndex(
                name: "IX_bots_is_paused_next_heartbeat_at",
                table: "bots",
                columns: new[] { "is_paused", "next_heartbeat_at" });

            migrationBuilder.CreateIndex(
                name: "IX_bots_name",
                table: "bots",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cold_memories_activity_id",
                table: "cold_memories",
                column: "activity_id");

            migrationBuilder.CreateIndex(
                name: "IX_cold_memories_bot_id_period_end",
                table: "cold_memories",
                columns: new[] { "bot_id", "period_end" });

            migrationBuilder.CreateIndex(
                name: "IX_config_changes_bot_id_changed_at",
                table: "config_changes",
                columns: new[] { "bot_id", "changed_at" });

            migrationBuilder.CreateIndex(
                name: "IX_daily_usage_day",
                table: "daily_usage",
                column: "day");

            migrationBuilder.CreateIndex(
                name: "IX_follows_followee_id",
                table: "follows",
                column: "followee_id");

            migrationBuilder.CreateIndex(
                name: "IX_posts_bot_id_created_at",
                table: "posts",
                columns: new[] { "bot_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_posts_created_at",
                table: "posts",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_posts_parent_post_id",
                table: "posts",
                column: "parent_post_id");

            migrationBuilder.CreateIndex(
                name: "IX_posts_thread_id_created_at",
                table: "posts",
                columns: new[] { "thread_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_relationship_events_activity_id",
                table: "relationship_events",
                column: "activity_id");

            migrationBuilder.CreateIndex(
                name: "IX_relationship_events_bot_id_other_bot_id_created_at",
                table: "relationship_events",
                columns: new[] { "bot_id", "other_bot_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_relationship_events_other_bot_id_created_at",
                table: "relationship_events",
                columns: new[] { "other_bot_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_reputation_buckets_bucket_bot_id_at_score",
                table: "reputation_buckets",
                columns: new[] { "bucket", "bot_id", "at", "score" });

            migrationBuilder.CreateIndex(
                name: "IX_threads_bot_id_created_at",
                table: "threads",
                columns: new[] { "bot_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_threads_created_at",
                table: "threads",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_threads_last_activity_at",
                table: "threads",
                column: "last_activity_at");

            migrationBuilder.CreateIndex(
                name: "IX_votes_bot_id_target_type_target_id",
                table: "votes",
                columns: new[] { "bot_id", "target_type", "target_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_votes_created_at",
                table: "votes",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_votes_target_bot_id_created_at",
                table: "votes",
                columns: new[] { "target_bot_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_votes_target_type_target_id",
                table: "votes",
                columns: new[] { "target_type", "target_id" });

            migrationBuilder.CreateIndex(
                name: "IX_warm_memories_activity_id",
                table: "warm_memories",
                column: "activity_id");

            migrationBuilder.CreateIndex(
                name: "IX_warm_memories_bot_id_category_importance",
                table: "warm_memories",
                columns: new[] { "bot_id", "category", "importance" });

            migrationBuilder.CreateIndex(
                name: "IX_warm_memories_bot_id_category_subject",
                table: "warm_memories",
                columns: new[] { "bot_id", "category", "subject" });

            migrationBuilder.CreateIndex(
                name: "IX_warm_memories_bot_id_importance",
                table: "warm_memories",
                columns: new[] { "bot_id", "importance" });

            // The offline search corpus (not an entity: the search reads it with its own SQL). Full-text search with a
            // stored, weighted vector (title A, body B, topic C) and a GIN index, as SQLite's FTS5 table serves it there.
            migrationBuilder.Sql("""
                CREATE TABLE corpus_fts (
                    article_id text PRIMARY KEY,
                    topic text NOT NULL,
                    title text NOT NULL,
                    body text NOT NULL,
                    search tsvector GENERATED ALWAYS AS (
                        setweight(to_tsvector('english', title), 'A')
                        || setweight(to_tsvector('english', body), 'B')
                        || setweight(to_tsvector('english', topic), 'C')) STORED
                );
                CREATE INDEX ix_corpus_fts_search ON corpus_fts USING gin (search);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE corpus_fts;");

            migrationBuilder.DropTable(
                name: "activity_counts");

            migrationBuilder.DropTable(
                name: "cold_memories");

            migrationBuilder.DropTable(
                name: "config_changes");

            migrationBuilder.DropTable(
                name: "daily_usage");

            migrationBuilder.DropTable(
                name: "follows");

            migrationBuilder.DropTable(
                name: "posts");

            migrationBuilder.DropTable(
                name: "relationship_events");

            migrationBuilder.DropTable(
                name: "reputation_buckets");

            migrationBuilder.DropTable(
                name: "society_settings");

            migrationBuilder.DropTable(
                name: "votes");

            migrationBuilder.DropTable(
                name: "warm_memories");

            migrationBuilder.DropTable(
                name: "web_search_cache");

            migrationBuilder.DropTable(
                name: "web_search_days");

            migrationBuilder.DropTable(
                name: "threads");

            migrationBuilder.DropTable(
                name: "activity_log");

            migrationBuilder.DropTable(
                name: "bots");
        }
    }
}
