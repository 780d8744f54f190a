using System.Data.Common;
using BotSociety.Core.Data.Dialects;
using BotSociety.Core.Memory;
using BotSociety.Core.Reputation;
using BotSociety.Core.Social;
using Microsoft.Data.Sqlite;

namespace BotSociety.Core.Simulation;

/// <summary>
/// The heartbeat's writes as prepared SQL statements on the tick's connection and transaction.
/// EF Core costs about 0.2 ms per statement here, and a heartbeat writes about ten rows; reused prepared
/// commands cost a third of that, which is what lets a tick of thousands of bots fit in seconds.
/// The SQL is plain (INSERT … RETURNING, ON CONFLICT upsert, SAVEPOINT), the same text on SQLite and PostgreSQL,
/// and the column names are the ones the EF model maps (snake_case).
/// </summary>
internal sealed class HeartbeatWriter(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> commands = [];

    // On SQLite the writes skip ADO.NET's per-execution work (see SqliteStatements); reads still go through commands.
    private readonly SqliteStatements? sqlite = connection is SqliteConnection file ? new SqliteStatements(file) : null;

    public Task SavepointAsync(CancellationToken ct) => ExecuteAsync("SAVEPOINT heartbeat", ct);

    public Task ReleaseAsync(CancellationToken ct) => ExecuteAsync("RELEASE SAVEPOINT heartbeat", ct);

    public Task RollbackAsync(CancellationToken ct) => ExecuteAsync("ROLLBACK TO SAVEPOINT heartbeat", ct);

    public async Task<int> InsertThreadAsync(int botId, string title, string body, string topic, DateTime now, CancellationToken ct) =>
        Convert.ToInt32(await ScalarAsync(
            "INSERT INTO threads (bot_id, title, body, topic, created_at, last_activity_at, reply_count, score) VALUES (@p0, @p1, @p2, @p3, @p4, @p4, 0, 0) RETURNING id",
            ct, botId, title, body, topic, now), System.Globalization.CultureInfo.InvariantCulture);

    public async Task<int> InsertPostAsync(int threadId, int botId, int? parentPostId, string body, DateTime now, CancellationToken ct) =>
        Convert.ToInt32(await ScalarAsync(
            "INSERT INTO posts (thread_id, bot_id, parent_post_id, body, created_at, score) VALUES (@p0, @p1, @p2, @p3, @p4, 0) RETURNING id",
            ct, threadId, botId, parentPostId, body, now), System.Globalization.CultureInfo.InvariantCulture);

    public Task UpdateThreadRepliedAsync(int threadId, int replyCount, DateTime now, CancellationToken ct) =>
        NonQueryAsync("UPDATE threads SET reply_count = @p1, last_activity_at = @p2 WHERE id = @p0", ct, threadId, replyCount, now);

    public Task UpdateScoreAsync(VoteTarget target, int id, int score, CancellationToken ct) =>
        target == VoteTarget.Thread
            ? NonQueryAsync("UPDATE threads SET score = @p1 WHERE id = @p0", ct, id, score)
            : NonQueryAsync("UPDATE posts SET score = @p1 WHERE id = @p0", ct, id, score);

    public Task InsertVoteAsync(int botId, VoteTarget target, int targetId, int targetBotId, int value, DateTime now, CancellationToken ct) =>
        NonQueryAsync(
            "INSERT INTO votes (bot_id, target_type, target_id, target_bot_id, value, created_at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)",
            ct, botId, target.ToString(), targetId, targetBotId, value, now);

    public Task InsertFollowAsync(int followerId, int followeeId, DateTime now, CancellationToken ct) =>
        NonQueryAsync("INSERT INTO follows (follower_id, followee_id, created_at) VALUES (@p0, @p1, @p2)", ct, followerId, followeeId, now);

    /// <summary>The activity row, and the read models kept beside it (<see cref="RecordActivityAsync"/>).</summary>
    public async Task<long> InsertActivityAsync(ActivityLogEntry a, double reputationScore, CancellationToken ct)
    {
        var id = Convert.ToInt64(await ScalarAsync(
            "INSERT INTO activity_log (event_id, bot_id, action, details, input_tokens, output_tokens, cost_usd, model, created_at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8) RETURNING id",
            ct, a.EventId, a.BotId, a.Action, a.Details, a.InputTokens, a.OutputTokens, a.CostUsd, a.Model, a.CreatedAt), System.Globalization.CultureInfo.InvariantCulture);
        await RecordActivityAsync(a.BotId!.Value, a.Action, a.CreatedAt, reputationScore, ct);
        return id;
    }

    /// <summary>
    /// Counts an activity row and notes the bot's reputation in its ten-minute bucket, in the same transaction as the
    /// row, so the totals and the reputation chart never disagree with the log. Rows written through EF (the
    /// compressor's) come here too.
    /// </summary>
    public async Task RecordActivityAsync(int botId, string action, DateTime at, double reputationScore, CancellationToken ct)
    {
        await NonQueryAsync(
            "INSERT INTO activity_counts (bot_id, action, count) VALUES (@p0, @p1, 1) ON CONFLICT (bot_id, action) DO UPDATE SET count = activity_counts.count + 1",
            ct, botId, action);
        await NonQueryAsync(
            "INSERT INTO reputation_buckets (bot_id, bucket, at, score) VALUES (@p0, @p1, @p2, @p3) ON CONFLICT (bot_id, bucket) DO UPDATE SET at = excluded.at, score = excluded.score",
            ct, botId, ReputationBucket.BucketOf(at), at, reputationScore);
    }

    public Task InsertRelationshipEventAsync(int botId, int otherBotId, string kind, double delta, long activityId, DateTime now, CancellationToken ct) =>
        NonQueryAsync(
            "INSERT INTO relationship_events (bot_id, other_bot_id, kind, sentiment_delta, activity_id, created_at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)",
            ct, botId, otherBotId, kind, delta, activityId, now);

    public async Task<long> InsertMemoryAsync(WarmMemory m, CancellationToken ct) =>
        Convert.ToInt64(await ScalarAsync(
            "INSERT INTO warm_memories (bot_id, category, subject, content, source, about_bot_id, sentiment, importance, activity_id, created_at, updated_at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p9) RETURNING id",
            ct, m.BotId, m.Category.ToString(), m.Subject, m.Content, m.Source, m.AboutBotId, m.Sentiment, m.Importance, m.ActivityId, m.CreatedAt), System.Globalization.CultureInfo.InvariantCulture);

    public Task UpdateMemoryAsync(long id, string subject, string content, double sentiment, double importance, long activityId, DateTime now, CancellationToken ct) =>
        NonQueryAsync(
            "UPDATE warm_memories SET subject = @p1, content = @p2, sentiment = @p3, importance = @p4, activity_id = @p5, updated_at = @p6 WHERE id = @p0",
            ct, id, subject, content, sentiment, importance, activityId, now);

    public async Task<int> CountMemoryAsync(int botId, MemoryCategory category, CancellationToken ct) =>
        Convert.ToInt32(await ScalarAsync("SELECT COUNT(*) FROM warm_memories WHERE bot_id = @p0 AND category = @p1", ct, botId, category.ToString()),
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Deletes the least important (then oldest) items of a category; returns their ids.</summary>
    public async Task<List<long>> EvictMemoryAsync(int botId, MemoryCategory category, int count, CancellationToken ct)
    {
        const string sql =
            "DELETE FROM warm_memories WHERE id IN (SELECT id FROM warm_memories WHERE bot_id = @p0 AND category = @p1 ORDER BY importance, updated_at, id LIMIT @p2) RETURNING id";
        var ids = new List<long>();
        if (sqlite is not null)
        {
            sqlite.Execute(sql, [botId, category.ToString(), count], ids.Add);
            return ids;
        }

        var command = Command(sql, botId, category.ToString(), count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>
    /// The tick's events into the outbox (<see cref="Realtime.EventOutbox"/>), in the tick's transaction: a few
    /// statements of many rows each, not one per event (a round trip each on PostgreSQL). 250 rows of 4 values keep a
    /// statement well under SQLite's 32,766 parameters.
    /// </summary>
    public async Task InsertOutboxAsync(IReadOnlyList<Realtime.OutboxEvent> events, CancellationToken ct)
    {
        foreach (var chunk in events.Chunk(250))
        {
            var rows = string.Join(", ", Enumerable.Range(0, chunk.Length).Select(i =>
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"(@p{4 * i}, @p{(4 * i) + 1}, @p{(4 * i) + 2}, 0, @p{(4 * i) + 3})")));
            await NonQueryAsync(
                $"INSERT INTO outbox_events (event_id, payload, created_at, attempts, next_attempt_at) VALUES {rows}",
                ct, [.. chunk.SelectMany(e => new object?[] { e.EventId, e.Payload, e.CreatedAt, e.NextAttemptAt })]);
        }
    }

    public Task UpdateReputationAsync(int botId, double score, CancellationToken ct) =>
        NonQueryAsync("UPDATE bots SET reputation_score = @p1 WHERE id = @p0", ct, botId, score);

    /// <summary>The bot's next due time; its claim ends with it, since this heartbeat is done.</summary>
    public Task UpdateScheduleAsync(BotState bot, DateTime next, CancellationToken ct) =>
        NonQueryAsync(
            "UPDATE bots SET heartbeat_count = @p1, last_heartbeat_at = @p2, next_heartbeat_at = @p3, capped_on = @p4, failed_heartbeats = @p5, failing_since = @p6, last_failure_kind = @p7, claimed_by = NULL, claimed_until = NULL WHERE id = @p0",
            ct, bot.Id, bot.HeartbeatCount, bot.LastHeartbeatAt, next, bot.CappedOn, bot.FailedHeartbeats, bot.FailingSince, bot.LastFailureKind);

    /// <summary>The model call behind an activity row (<see cref="Traces.ModelTrace"/>).</summary>
    public Task InsertTraceAsync(Traces.ModelTrace t, CancellationToken ct) =>
        NonQueryAsync(
            "INSERT INTO model_traces (activity_id, bot_id, kind, provider, model, messages, completion, input_tokens, output_tokens, cached_input_tokens, latency_ms, cost_usd, retries, failure_kind, failure, size_bytes, created_at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16)",
            ct, t.ActivityId, t.BotId, t.Kind, t.Provider, t.Model, t.Messages, t.Completion, t.InputTokens, t.OutputTokens, t.CachedInputTokens,
            t.LatencyMs, t.CostUsd, t.Retries, t.FailureKind, t.Failure, t.SizeBytes, t.CreatedAt);

    /// <summary>Counts one model call in the day's per-model usage (<see cref="Usage.ModelUsageDay"/>).</summary>
    public Task AddModelUsageAsync(DateOnly day, string provider, string model, string kind, bool failed, Usage.TokenUsage usage, double? costUsd, CancellationToken ct) =>
        NonQueryAsync(
            "INSERT INTO model_usage (day, provider, model, kind, calls, failures, input_tokens, output_tokens, cost_usd) VALUES (@p0, @p1, @p2, @p3, 1, @p4, @p5, @p6, @p7) "
            + "ON CONFLICT (day, provider, model, kind) DO UPDATE SET calls = model_usage.calls + 1, failures = model_usage.failures + excluded.failures, "
            + "input_tokens = model_usage.input_tokens + excluded.input_tokens, output_tokens = model_usage.output_tokens + excluded.output_tokens, cost_usd = model_usage.cost_usd + excluded.cost_usd",
            ct, day, provider, model, kind, failed ? 1 : 0, (long)usage.InputTokens, (long)usage.OutputTokens, costUsd ?? 0);

    /// <summary>Ends what is left of a claim (bots that were paused, skipped or lost meanwhile): they are due again at once.</summary>
    public Task ReleaseClaimAsync(string claim, CancellationToken ct) =>
        NonQueryAsync("UPDATE bots SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = @p0", ct, claim);

    /// <summary>Adds a call to the day's usage; a null cost (an unpriced model) counts as an unpriced call, not as $0.</summary>
    public Task AddUsageAsync(int botId, DateOnly day, Usage.TokenUsage usage, double? cost, CancellationToken ct) =>
        NonQueryAsync(
            """
            INSERT INTO daily_usage (bot_id, day, input_tokens, output_tokens, cached_input_tokens, estimated_cost_usd, unpriced_calls, calls)
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, 1)
            ON CONFLICT (bot_id, day) DO UPDATE SET input_tokens = daily_usage.input_tokens + excluded.input_tokens,
                output_tokens = daily_usage.output_tokens + excluded.output_tokens,
                cached_input_tokens = daily_usage.cached_input_tokens + excluded.cached_input_tokens,
                estimated_cost_usd = daily_usage.estimated_cost_usd + excluded.estimated_cost_usd,
                unpriced_calls = daily_usage.unpriced_calls + excluded.unpriced_calls,
                calls = daily_usage.calls + 1
            """,
            ct, botId, day, usage.InputTokens, usage.OutputTokens, usage.CachedInputTokens, cost ?? 0, cost is null ? 1 : 0);

    /// <summary>Runs a query of the tick (<see cref="TickState"/>) and hands each row to <paramref name="row"/>.</summary>
    public void Read(string sql, Action<DbDataReader> row, params object?[] values)
    {
        using var reader = Command(sql, values).ExecuteReader();
        while (reader.Read())
        {
            row(reader);
        }
    }

    public async ValueTask DisposeAsync()
    {
        sqlite?.Dispose();
        foreach (var command in commands.Values)
        {
            await command.DisposeAsync();
        }
    }

    private Task<int> ExecuteAsync(string sql, CancellationToken ct) => NonQueryAsync(sql, ct);

    // SQLite answers synchronously; its async methods only wrap the same call in a task, so the writes run
    // synchronously and skip that wrapping (measured: a few percent of a heartbeat). On PostgreSQL a tick's writes
    // are one connection's serial work too, so a thread waiting on the socket costs what an awaited one would.
    private Task<int> NonQueryAsync(string sql, CancellationToken ct, params object?[] values)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(sqlite?.Execute(sql, values) ?? Command(sql, values).ExecuteNonQuery());
    }

    private Task<object?> ScalarAsync(string sql, CancellationToken ct, params object?[] values)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(sqlite is null ? Command(sql, values).ExecuteScalar() : sqlite.Scalar(sql, values));
    }

    private DbCommand Command(string sql, params object?[] values)
    {
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            SqlDialect.AddPositional(command, values);
            commands[sql] = command;
        }

        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                var v => v,
            };
        }

        return command;
    }
}
