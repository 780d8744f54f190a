using System.Data.Common;
using System.Diagnostics;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Data.Dialects;
using BotSociety.Core.Memory;
using BotSociety.Core.Realtime;
using BotSociety.Core.Search;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Simulation;

/// <summary>One heartbeat as applied: what happened, the event to publish, and the time it took here.</summary>
public sealed record AppliedHeartbeat(int BotId, string Action, bool Succeeded, SocietyEvent? Event, TimeSpan ApplyTime);

/// <summary>
/// Validates the answers of a tick and applies them in due order. Each heartbeat is atomic: its action,
/// usage, reputation, relationships, memory, schedule and activity row are written inside one savepoint
/// and either all stay or all roll back; the tick's transaction commits them together. Events are
/// returned only for what was committed.
/// </summary>
public sealed partial class TickApplier(
    ISearchProvider search, SqlDialect dialect, SocietyInstance instance, EventOutbox outbox, Traces.TraceFactory traces,
    IOptions<MemoryOptions> memoryOptions, ILogger<TickApplier> logger)
{
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 2000;
    public const int MaxQueryLength = 200;

    /// <summary>
    /// Applies the heartbeats of one claim. Only a bot the claim still holds acts: its claim is checked inside the
    /// transaction, after the writers' lock, so a claim that lapsed and passed to another instance meanwhile loses.
    /// Whatever the claim still holds at the end (paused, lost, skipped bots) is released with the commit.
    /// </summary>
    public async Task<IReadOnlyList<AppliedHeartbeat>> ApplyAsync(
        BotSocietyDb db, string claim, IReadOnlyList<Bot> due, IReadOnlyDictionary<int, HeartbeatPlan> plans, IReadOnlyDictionary<int, CapStatus> caps,
        long societySeed, Pace pace, DateTime now, CancellationToken ct)
    {
        var capped = due.Where(b => !plans.ContainsKey(b.Id)).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var connection = db.Database.GetDbConnection();
        await dialect.LockWritersAsync(connection, transaction.GetDbTransaction(), ct);
        var results = new List<AppliedHeartbeat>(due.Count);
        await using (var writer = new HeartbeatWriter(connection, transaction.GetDbTransaction()))
        {
            var tick = new Tick(writer, TickState.Load(writer, dialect, [.. plans.Values], capped), societySeed, pace, now, instance.Id);
            foreach (var bot in due)
            {
                var started = Stopwatch.GetTimestamp();
                AppliedHeartbeat applied;
                if (tick.State.Bots.TryGetValue(bot.Id, out var current) && current.ClaimedBy != claim)
                {
                    // Another claim took this bot since (ours lapsed), or it already acted: it must not act twice.
                    LogClaimLost(bot.Id, claim);
                    applied = new AppliedHeartbeat(bot.Id, "skipped", false, null, TimeSpan.Zero);
                }
                else
                {
                    applied = plans.TryGetValue(bot.Id, out var plan)
                        ? await ApplyOneAsync(tick, plan, plans, capped, ct)
                        : await RecordCappedAsync(tick, bot.Id, caps[bot.Id], ct);
                }

                results.Add(applied with { ApplyTime = Stopwatch.GetElapsedTime(started) });
            }

            await writer.ReleaseClaimAsync(claim, ct);

            // The events are committed with the rows they announce; the engine sends them after the commit.
            if (outbox.IsActive)
            {
                await writer.InsertOutboxAsync([.. results.Where(r => r.Event is not null).Select(r => EventOutbox.ToRow(r.Event!, now))], ct);
            }
        }

        await transaction.CommitAsync(ct);
        return results;
    }

    /// <summary>The tick being applied; its state is replaced if a failed heartbeat forces a re-read.</summary>
    private sealed class Tick(HeartbeatWriter writer, TickState state, long seed, Pace pace, DateTime now, string instance)
    {
        public HeartbeatWriter Writer { get; } = writer;
        public TickState State { get; set; } = state;
        public long Seed { get; } = seed;
        public Pace Pace { get; } = pace;
        public DateTime Now { get; } = now;
        public DateOnly Today { get; } = DateOnly.FromDateTime(now);

        /// <summary>The app instance applying the tick, written into each activity's details.</summary>
        public string Instance { get; } = instance;
    }

    private async Task<AppliedHeartbeat> ApplyOneAsync(
        Tick tick, HeartbeatPlan plan, IReadOnlyDictionary<int, HeartbeatPlan> plans, List<Bot> capped, CancellationToken ct)
    {
        var botId = plan.Context.Bot.Id;
        if (!tick.State.Bots.TryGetValue(botId, out var bot) || bot.IsPaused)
        {
            // Paused (or removed) while its model was thinking: the operator wins and nothing is written.
            return new AppliedHeartbeat(botId, "skipped", false, null, TimeSpan.Zero);
        }

        if (plan.CappedBy is { } cappedBy)
        {
            return await RecordCappedAsync(tick, botId, cappedBy, ct);
        }

        if (plan.Failure is not null)
        {
            return await RecordFailureAsync(tick, bot, plan, plan.FailureStage ?? "model", plan.Failure, ct);
        }

        var error = ActionRules.Check(tick.State, bot, plan.Action!);
        if (error is not null)
        {
            return await RecordFailureAsync(tick, bot, plan, "validate", error, ct);
        }

        await tick.Writer.SavepointAsync(ct);
        try
        {
            var applied = await ExecuteAsync(tick, bot, plan, ct);
            await tick.Writer.ReleaseAsync(ct);
            return applied;
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            // Undo this heartbeat's writes; the in-memory state may hold part of it, so read it again.
            await tick.Writer.RollbackAsync(ct);
            await tick.Writer.ReleaseAsync(ct);
            LogApplyFailed(ex, botId, plan.Action!.Action);
            tick.State = TickState.Load(tick.Writer, dialect, [.. plans.Values], capped);
            return await RecordFailureAsync(tick, tick.State.Bots[botId], plan, "apply",
                $"the action could not be saved: {ex.GetBaseException().Message}", ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot {BotId} is no longer held by claim {Claim} (it lapsed and another claim took the bot, or the bot already acted); not applied here")]
    private partial void LogClaimLost(int botId, string claim);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot {BotId}'s {Action} could not be saved; it was rolled back")]
    private partial void LogApplyFailed(Exception exception, int botId, string action);
}
