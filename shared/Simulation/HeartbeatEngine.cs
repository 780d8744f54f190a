using System.Diagnostics;
using BotSociety.Core.Data;
using BotSociety.Core.Llm;
using BotSociety.Core.Realtime;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Simulation;

/// <summary>
/// Runs one tick of the society: picks the bots that are due, asks each one's model for an action,
/// and applies the answers one transaction per bot. Model calls run in parallel; writes run one at a
/// time in due order, so the outcome does not depend on which model answered first.
/// </summary>
public sealed partial class HeartbeatEngine(
    IDbContextFactory<BotSocietyDb> dbFactory,
    FeedLoader feeds,
    HeartbeatPlanner planner,
    TickApplier applier,
    Bots.BotControl control,
    IEventPublisher publisher,
    TimeProvider time,
    IOptions<SocietyOptions> societyOptions,
    IOptions<UsageOptions> usageOptions,
    ILogger<HeartbeatEngine> logger) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<TickReport> RunTickAsync(CancellationToken cancellationToken)
    {
        // A timer may fire while a slow tick is still running; the second one yields rather than doubling heartbeats.
        if (!await gate.WaitAsync(0, cancellationToken))
        {
            LogTickSkipped();
            return TickReport.Nothing(0, skipped: true);
        }

        try
        {
            return await RunLockedAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<TickReport> RunLockedAsync(CancellationToken ct)
    {
        var options = societyOptions.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);

        // Stopwatch, not TimeProvider: these figures measure this machine's work, not the society's clock.
        var loadStarted = Stopwatch.GetTimestamp();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.SocietySettings.SingleAsync(ct);
        if (settings.Pace == Pace.Paused)
        {
            return TickReport.Nothing(settings.TickCount);
        }

        settings.TickCount++;
        settings.UpdatedAt = now;
        await db.SaveChangesAsync(ct);

        var due = await db.Bots.AsNoTracking()
            .Where(b => !b.IsPaused && b.NextHeartbeatAt <= now)
            .OrderBy(b => b.NextHeartbeatAt).ThenBy(b => b.Id)
            .Take(options.MaxBotsPerTick)
            .ToListAsync(ct);
        if (due.Count == 0)
        {
            return TickReport.Nothing(settings.TickCount);
        }

        var dueIds = due.Select(b => b.Id).ToList();
        var usage = await db.DailyUsage.AsNoTracking()
            .Where(u => u.Day == today && dueIds.Contains(u.BotId))
            .ToDictionaryAsync(u => u.BotId, ct);
        var caps = due.ToDictionary(b => b.Id, b => UsageCaps.Evaluate(b, usage.GetValueOrDefault(b.Id), usageOptions.Value));
        var acting = due.Where(b => !caps[b.Id].IsCapped).ToList();
        var contexts = await feeds.LoadAsync(db, acting, ct);
        var loadShare = acting.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(loadStarted) / acting.Count;

        var plans = new HeartbeatPlan[contexts.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, contexts.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.ModelConcurrency, CancellationToken = ct },
            async (i, token) => plans[i] = await PlanSafelyAsync(contexts[i], caps[contexts[i].Bot.Id], settings.Seed, token));
        var planByBot = plans.ToDictionary(p => p.Context.Bot.Id);

        var applyStarted = Stopwatch.GetTimestamp();
        IReadOnlyList<AppliedHeartbeat> applied;
        try
        {
            applied = await applier.ApplyAsync(db, due, planByBot, caps, settings.Seed, settings.Pace, now, ct);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            // The tick's transaction rolled back whole: nothing of it was written, and every bot is still due.
            LogTickFailed(ex, settings.TickCount);
            return new TickReport(settings.TickCount, due.Count, 0, due.Count, 0, false, []);
        }

        // The commit is shared by the tick's heartbeats; each carries its part of it.
        var commitShare = (Stopwatch.GetElapsedTime(applyStarted) - applied.Aggregate(TimeSpan.Zero, (sum, a) => sum + a.ApplyTime)) / Math.Max(1, applied.Count);
        var outcomes = new List<HeartbeatOutcome>(applied.Count);
        var events = new List<SocietyEvent>(applied.Count);
        foreach (var heartbeat in applied)
        {
            var plan = planByBot.GetValueOrDefault(heartbeat.BotId);
            outcomes.Add(new HeartbeatOutcome(heartbeat.BotId, heartbeat.Action, heartbeat.Succeeded,
                (plan is null ? TimeSpan.Zero : loadShare + plan.PromptTime) + heartbeat.ApplyTime + commitShare,
                plan?.ModelTime ?? TimeSpan.Zero));
            if (heartbeat.Event is not null)
            {
                events.Add(heartbeat.Event);
            }
        }

        await PublishAsync(events, ct);
        await PauseRefusedProvidersAsync(plans, ct);

        var acted = applied.Count(a => a.Succeeded);
        var failed = applied.Count(a => a.Action == ActivityActions.HeartbeatFailed);
        var capped = applied.Count(a => a.Action == ActivityActions.UsageCapped);
        LogTick(settings.TickCount, due.Count, acted, failed, capped);
        return new TickReport(settings.TickCount, due.Count, acted, failed, capped, false, outcomes);
    }

    /// <summary>The planner never throws for a model's failure; a defect of ours fails one heartbeat too, not the whole tick.</summary>
    private async Task<HeartbeatPlan> PlanSafelyAsync(HeartbeatContext context, CapStatus caps, long seed, CancellationToken ct)
    {
        try
        {
            return await planner.PlanAsync(context, caps, seed, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogPlanFailed(ex, context.Bot.Id);
            return new HeartbeatPlan(context, SeedMixer.For(seed, context.Bot.Id, context.Bot.HeartbeatCount), null, null,
                "the heartbeat could not be planned (an internal error; see the log)", "plan", 0, 0, TimeSpan.Zero, TimeSpan.Zero) { CostUsd = 0 };
        }
    }

    /// <summary>
    /// A provider that refused its key will refuse it on every tick: its bots are paused with the reason, so the operator
    /// sees one clear cause instead of a failure per bot per tick. Resuming them (after fixing the key) clears it.
    /// </summary>
    private async Task PauseRefusedProvidersAsync(HeartbeatPlan[] plans, CancellationToken ct)
    {
        foreach (var refused in plans.Where(p => p.FailureKind == ModelFailureKinds.Auth).GroupBy(p => p.Provider!))
        {
            try
            {
                await control.PauseProviderAsync(refused.Key, $"paused: {refused.First().Failure}", ct);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
            {
                // The failures are recorded; the next tick fails the same way and tries the pause again.
                LogPauseFailed(ex, refused.Key);
            }
        }
    }

    /// <summary>The tick's events, in due order, after its commit; the publisher bounds how long that takes.</summary>
    private async Task PublishAsync(List<SocietyEvent> events, CancellationToken ct)
    {
        try
        {
            await publisher.PublishAsync(events, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The rows are committed; a watcher that missed the events will see them when it next reads the activity log.
            LogPublishFailed(ex, events.Count);
        }
    }

    public void Dispose() => gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Tick {Tick}: {Due} due, {Acted} acted, {Failed} failed, {Capped} capped")]
    private partial void LogTick(long tick, int due, int acted, int failed, int capped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tick {Tick} could not be saved and was rolled back; its bots stay due")]
    private partial void LogTickFailed(Exception exception, long tick);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A tick was requested while the previous one is still running; skipped")]
    private partial void LogTickSkipped();

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot {BotId}'s heartbeat could not be planned")]
    private partial void LogPlanFailed(Exception exception, int botId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The bots of provider {Provider} could not be paused after it refused its key")]
    private partial void LogPauseFailed(Exception exception, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the tick's {Count} events failed; the activity is saved")]
    private partial void LogPublishFailed(Exception exception, int count);
}
