using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Data.Dialects;
using BotSociety.Core.Llm;
using BotSociety.Core.Realtime;
using BotSociety.Core.Simulation;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Memory;

/// <summary>
/// Turns each bot's older activity into a cold summary written by the bot's own model, and lets warm
/// memory that nothing has refreshed fade and be pruned. Runs on its own timer, separate from heartbeats.
/// </summary>
public sealed partial class MemoryCompressor(
    IDbContextFactory<BotSocietyDb> dbFactory,
    SqlDialect dialect,
    SocietyInstance instance,
    IChatClientProvider models,
    ModelCost pricing,
    EventOutbox outbox,
    Traces.TraceFactory traces,
    TimeProvider time,
    IOptions<MemoryOptions> memoryOptions,
    IOptions<UsageOptions> usageOptions,
    IOptions<SocietyOptions> societyOptions,
    ILogger<MemoryCompressor> logger)
{
    /// <summary>Compresses every bot with enough old activity; returns how many summaries were written.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var options = memoryOptions.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = now.AddHours(-options.CompressAfterHours);
        var today = DateOnly.FromDateTime(now);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // Open for the whole run: it asks a question per bot, and on SQLite every open runs the connection's pragmas again.
        await db.Database.OpenConnectionAsync(cancellationToken);
        var bots = await db.Bots.AsNoTracking().OrderBy(b => b.Id).ToListAsync(cancellationToken);
        var lastEnds = await db.ColdMemories.AsNoTracking()
            .GroupBy(c => c.BotId)
            .Select(g => new { BotId = g.Key, End = g.Max(c => c.PeriodEnd) })
            .ToDictionaryAsync(x => x.BotId, x => x.End, cancellationToken);
        var usage = await db.DailyUsage.AsNoTracking().Where(u => u.Day == today).ToDictionaryAsync(u => u.BotId, cancellationToken);
        var seed = await db.SocietySettings.AsNoTracking().Select(s => s.Seed).SingleAsync(cancellationToken);

        var written = 0;
        foreach (var bot in bots)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (UsageCaps.Evaluate(bot, usage.GetValueOrDefault(bot.Id), usageOptions.Value).IsCapped)
            {
                // Summaries cost tokens too; a capped bot waits for tomorrow's budget.
                continue;
            }

            var from = lastEnds.TryGetValue(bot.Id, out var end) ? end : DateTime.MinValue;
            var rows = await db.ActivityLog.AsNoTracking()
                .Where(a => a.BotId == bot.Id && a.CreatedAt > from && a.CreatedAt <= cutoff && a.Action != ActivityActions.MemoryCompressed && !ActivityActions.Society.Contains(a.Action))
                .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
                .Take(options.MaxActivitiesPerSummary + 1)
                .ToListAsync(cancellationToken);
            if (rows.Count > options.MaxActivitiesPerSummary)
            {
                // The next period starts after this one's last timestamp, so a period must never end in the middle
                // of rows sharing a timestamp: those would be skipped for good.
                var boundary = rows[options.MaxActivitiesPerSummary].CreatedAt;
                rows = rows.Take(options.MaxActivitiesPerSummary).Where(r => r.CreatedAt < boundary).ToList();
            }

            if (rows.Count < options.MinActivitiesPerSummary)
            {
                continue;
            }

            if (await CompressAsync(bot, rows, seed, now, cancellationToken))
            {
                written++;
            }
        }

        return written;
    }

    private async Task<bool> CompressAsync(Bot bot, List<ActivityLogEntry> rows, long societySeed, DateTime now, CancellationToken ct)
    {
        var model = bot.PersonalityConfig.Model;
        var messages = PromptBuilder.BuildSummary(bot.Name, bot.PersonalityConfig.Personality.CommunicationStyle, rows.Select(FormatLine));
        ChatResponse response;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var retries = ModelRetries.Begin();
        try
        {
            response = await models.AskAsync(model, messages, societyOptions.Value.ModelTimeoutSeconds, SeedMixer.For(societySeed, bot.Id, -rows[^1].Id), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // No summary this time; the activity stays uncompressed and the next run tries again. The call is traced all the same.
            LogSummaryFailed(ex, bot.Id);
            await TraceFailureAsync(bot, new ModelCall([.. messages], null, retries.Value), ex, System.Diagnostics.Stopwatch.GetElapsedTime(started), now, ct);
            return false;
        }

        var latency = System.Diagnostics.Stopwatch.GetElapsedTime(started);

        var summary = response.Text.Trim();
        if (summary.Length == 0)
        {
            LogSummaryEmpty(bot.Id);
            return false;
        }

        var options = memoryOptions.Value;
        var usage = TokenUsage.Of(response);
        var cost = pricing.EstimateUsd(model.Provider, response.ModelId ?? model.Model, usage);
        var periodStart = rows[0].CreatedAt;
        var periodEnd = rows[^1].CreatedAt;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        // Heartbeats on other instances write this bot's memory and reputation too; the summary takes its turn with them.
        await dialect.LockWritersAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), ct);
        var reputation = await db.Bots.Where(b => b.Id == bot.Id).Select(b => b.ReputationScore).SingleAsync(ct);
        var details = new JsonObject
        {
            ["period_start"] = periodStart.ToString("O", CultureInfo.InvariantCulture),
            ["period_end"] = periodEnd.ToString("O", CultureInfo.InvariantCulture),
            ["activity_count"] = rows.Count,
            ["summary"] = summary,
            ["model"] = response.ModelId ?? model.Model,
            ["model_provider"] = model.Provider,
            ["simulated"] = ModelProviders.IsSimulated(model.Provider),
            ["reputation_score"] = reputation,
            ["instance"] = instance.Id,
        };
        var activity = new ActivityLogEntry
        {
            EventId = Guid.CreateVersion7(new DateTimeOffset(now, TimeSpan.Zero)).ToString(),
            BotId = bot.Id,
            Action = ActivityActions.MemoryCompressed,
            Details = details.ToJsonString(SocietyJson.Options),
            InputTokens = usage.InputTokens,
            OutputTokens = usage.OutputTokens,
            CostUsd = cost ?? 0,
            Model = response.ModelId ?? model.Model,
            CreatedAt = now,
        };
        db.ActivityLog.Add(activity);
        db.ColdMemories.Add(new ColdMemory
        {
            BotId = bot.Id, PeriodStart = periodStart, PeriodEnd = periodEnd, Summary = summary,
            ActivityCount = rows.Count, Activity = activity, CreatedAt = now,
        });
        outbox.Stage(db, new SocietyEvent(activity.EventId, SocietyEventTypes.MemoryCompressed, bot.Id, bot.Name,
            activity.Action, details, activity.TokensUsed, new DateTimeOffset(now, TimeSpan.Zero)));
        await db.SaveChangesAsync(ct);
        await using (var writer = new HeartbeatWriter(db.Database.GetDbConnection(), transaction.GetDbTransaction()))
        {
            await writer.RecordActivityAsync(bot.Id, activity.Action, now, reputation, ct);
            await writer.AddUsageAsync(bot.Id, DateOnly.FromDateTime(now), usage, cost, ct);
            var trace = traces.Create(Traces.TraceKinds.MemorySummary, bot.Id, model.Provider, activity.Model, new ModelCall([.. messages], response.Text, retries.Value),
                usage, latency, cost, null, null, now);
            trace.ActivityId = activity.Id;
            await writer.InsertTraceAsync(trace, ct);
            await writer.AddModelUsageAsync(DateOnly.FromDateTime(now), trace.Provider, trace.Model, Traces.TraceKinds.MemorySummary, false, usage, cost, ct);
        }

        // What the period did not refresh fades; what fades far enough is let go.
        var decay = options.ImportanceDecay;
        await db.WarmMemories.Where(m => m.BotId == bot.Id && m.UpdatedAt < periodStart)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Importance, m => m.Importance * decay), ct);
        var pruned = await db.WarmMemories.Where(m => m.BotId == bot.Id && m.Importance < options.PruneBelowImportance)
            .ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        LogCompressed(bot.Id, rows.Count, pruned);

        await outbox.SendAfterCommitAsync(ct);
        return true;
    }

    /// <summary>A summary call that failed: its trace (with no activity row) and its count in the model's usage.</summary>
    private async Task TraceFailureAsync(Bot bot, ModelCall call, Exception exception, TimeSpan latency, DateTime now, CancellationToken ct)
    {
        var model = bot.PersonalityConfig.Model;
        var failure = exception is OperationCanceledException
            ? new ModelFailure(ModelFailureKinds.Timeout, $"the model did not answer within {societyOptions.Value.ModelTimeoutSeconds} s")
            : ModelFailure.FromException(exception, model.Provider, traces.Redactor);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.ModelTraces.Add(traces.Create(Traces.TraceKinds.MemorySummary, bot.Id, model.Provider, model.Model, call,
                default, latency, 0, failure.Kind, failure.Reason, now));
            await db.SaveChangesAsync(ct);
            await using (var writer = new HeartbeatWriter(db.Database.GetDbConnection(), transaction.GetDbTransaction()))
            {
                await writer.AddModelUsageAsync(DateOnly.FromDateTime(now), model.Provider, model.Model, Traces.TraceKinds.MemorySummary, true, default, 0, ct);
            }

            await transaction.CommitAsync(ct);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or DbUpdateException)
        {
            LogTraceFailed(ex, bot.Id);
        }
    }

    /// <summary>One line per activity, in the shape the summary prompt documents: time, action, [topic], with whom, what.</summary>
    internal static string FormatLine(ActivityLogEntry row)
    {
        JsonObject? details = null;
        try
        {
            details = JsonNode.Parse(row.Details) as JsonObject;
        }
        catch (JsonException)
        {
            // A malformed details column still gets a line; the summary just knows less.
        }

        string? Text(string key) => details?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var line = row.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + row.Action;
        if (Text("topic") is { } topic)
        {
            line += $" [{topic}]";
        }

        if ((Text("reply_to_bot_name") ?? Text("target_bot_name") ?? Text("followed_bot_name")) is { } other)
        {
            line += $" with {other}";
        }

        var what = Text("title") ?? Text("thread_title") ?? Text("query") ?? Text("reason") ?? "";
        if (Text("direction") is { } direction)
        {
            what = $"voted {direction} on \"{what}\"";
        }

        return line + ": " + what;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot {BotId}'s summary could not be written; its activity stays uncompressed")]
    private partial void LogSummaryFailed(Exception exception, int botId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot {BotId}'s model returned an empty summary; nothing was compressed")]
    private partial void LogSummaryEmpty(int botId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot {BotId}: {Count} activities compressed into a summary, {Pruned} warm memories pruned")]
    private partial void LogCompressed(int botId, int count, int pruned);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The failed summary call of bot {BotId} could not be traced")]
    private partial void LogTraceFailed(Exception exception, int botId);
}
