using System.Diagnostics;
using BotSociety.Core.Data;
using BotSociety.Core.Data.Dialects;
using BotSociety.Core.Llm;
using BotSociety.Core.Realtime;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Simulation;

/// <summary>
/// Runs the society's heartbeats. Each due bot is first claimed in the database (atomically, so instances sharing one
/// PostgreSQL never take the same bot), then its model is asked for an action, and the answers are applied in due
/// order, all in one transaction. Model calls run in parallel; writes run one at a time, so the outcome does not
/// depend on which model answered first. Inline, one tick claims and runs its bots; with queue dispatch the tick only
/// claims them in batches (<see cref="DispatchAsync"/>) and each queued batch runs wherever it is taken
/// (<see cref="RunBatchAsync"/>).
/// </summary>
public sealed partial class HeartbeatEngine(
    IDbContextFactory<BotSocietyDb> dbFactory,
    SqlDialect dialect,
    SocietyInstance instance,
    FeedLoader feeds,
    HeartbeatPlanner planner,
    TickApplier applier,
    Bots.BotControl control,
    Alerts.AlertEvaluator alerts,
    EventOutbox outbox,
    TimeProvider time,
    IOptions<SocietyOptions> societyOptions,
    IOptions<UsageOptions> usageOptions,
    ILogger<HeartbeatEngine> logger) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>One inline tick: claims the due bots (up to Society:MaxBotsPerTick) and runs them.</summary>
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
            var loadStarted = Stopwatch.GetTimestamp();

            // One context and one open connection for the whole tick. A small society's tick is mostly fixed costs, and on
            // SQLite every open runs the connection's pragmas again: a tick used to open about fifteen times.
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Database.OpenConnectionAsync(cancellationToken);
            var settings = await StartTickAsync(db, cancellationToken);
            if (settings is null)
            {
                return TickReport.Nothing(await db.SocietySettings.AsNoTracking().Select(s => s.TickCount).SingleAsync(cancellationToken));
            }

            var claim = await ClaimAsync(db, societyOptions.Value.MaxBotsPerTick, cancellationToken);
            return claim is null
                ? TickReport.Nothing(settings.TickCount)
                : await RunClaimedAsync(db, claim, settings.TickCount, settings, loadStarted, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// One tick of queue dispatch: claims the due bots in batches of Society:QueueBatchSize, each batch under a claim of
    /// its own, and returns them for the queue. Nothing else happens here; the batches run where they are dequeued.
    /// </summary>
    public async Task<IReadOnlyList<HeartbeatBatch>> DispatchAsync(CancellationToken cancellationToken)
    {
        if (!await gate.WaitAsync(0, cancellationToken))
        {
            LogTickSkipped();
            return [];
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Database.OpenConnectionAsync(cancellationToken);
            if (await StartTickAsync(db, cancellationToken) is not { TickCount: var number })
            {
                return [];
            }

            var options = societyOptions.Value;
            var batches = new List<HeartbeatBatch>();
            var left = options.MaxBotsPerTick;
            while (left > 0)
            {
                var claim = await ClaimAsync(db, Math.Min(left, options.QueueBatchSize), cancellationToken);
                if (claim is null)
                {
                    break;
                }

                batches.Add(new HeartbeatBatch(claim.Id, claim.BotIds, number, claim.At));
                left -= claim.BotIds.Count;
                if (claim.BotIds.Count < options.QueueBatchSize)
                {
                    break;
                }
            }

            // A tick with nobody due says nothing, as an inline one does: at a 10-second schedule that is most ticks.
            var claimed = batches.Sum(b => b.Bots.Count);
            if (claimed > 0)
            {
                LogDispatched(number, claimed, batches.Count);
            }

            return batches;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Runs one queued batch: renews its claim on the bots that are still its own and runs them. A bot that no longer
    /// exists, or whose claim lapsed and passed to a later tick, is skipped and logged; the rest act once.
    /// </summary>
    public async Task<TickReport> RunBatchAsync(HeartbeatBatch batch, CancellationToken cancellationToken)
    {
        var loadStarted = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow().UtcDateTime;
        var until = now.AddSeconds(societyOptions.Value.ClaimSeconds);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var held = await db.Bots.Where(b => b.ClaimedBy == batch.Claim)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.ClaimedUntil, until), cancellationToken);
        var mine = await db.Bots.AsNoTracking().Where(b => b.ClaimedBy == batch.Claim).Select(b => b.Id).ToListAsync(cancellationToken);
        var missing = batch.Bots.Except(mine).ToList();
        if (missing.Count > 0)
        {
            var existing = await db.Bots.AsNoTracking().Where(b => missing.Contains(b.Id)).Select(b => b.Id).ToListAsync(cancellationToken);
            foreach (var gone in missing.Except(existing))
            {
                LogBotGone(gone, batch.Claim);
            }

            if (existing.Count > 0)
            {
                LogClaimsLost(existing.Count, batch.Claim, string.Join(",", existing));
            }
        }

        if (held == 0)
        {
            return TickReport.Nothing(batch.Tick);
        }

        var settings = await db.SocietySettings.AsNoTracking().SingleAsync(cancellationToken);
        if (settings.Pace == Pace.Paused)
        {
            // Paused after the batch was queued: the bots stay due and are claimed again when the society resumes.
            await ReleaseAsync(batch.Claim, cancellationToken);
            return TickReport.Nothing(batch.Tick);
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        return await RunClaimedAsync(db, new Claim(batch.Claim, mine, now), batch.Tick, settings, loadStarted, cancellationToken);
    }

    /// <summary>The bots of one claim: its id (written into each bot's <c>claimed_by</c>), the bots, when it was made.</summary>
    private sealed record Claim(string Id, IReadOnlyList<int> BotIds, DateTime At);

    private const string CountTickSql = $"UPDATE society_settings SET tick_count = tick_count + 1 WHERE pace <> '{nameof(Pace.Paused)}' RETURNING *";

    /// <summary>Counts the tick unless the society is paused; returns the settings the tick runs with, or null when paused.</summary>
    private static async Task<SocietySettings?> StartTickAsync(BotSocietyDb db, CancellationToken ct)
    {
        // One statement counts the tick unless paused and returns the settings as counted: a tracked read and
        // SaveChanges (a transaction of its own) cost a small society's tick more than its feed's posts. Through EF, so
        // the write-health interceptor still sees a failure here.
        var counted = await db.SocietySettings
            .FromSqlRaw(CountTickSql)
            .AsNoTracking()
            .ToListAsync(ct);
        return counted.SingleOrDefault();
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due bots, most overdue first, in one statement: a bot is due when it is
    /// not paused, its time has come, and no live claim holds it. Two instances claiming at once get different bots
    /// (SQLite has one writer; PostgreSQL's rows are locked and passed over with SKIP LOCKED).
    /// </summary>
    private async Task<Claim?> ClaimAsync(BotSocietyDb db, int limit, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var id = TextCut.Cut($"{instance.Id}/{Guid.NewGuid():N}", 200);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE bots SET claimed_by = @claim, claimed_until = @until
            WHERE id IN (SELECT id FROM bots
                         WHERE is_paused = @paused AND next_heartbeat_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now)
                         ORDER BY next_heartbeat_at, id LIMIT @limit{dialect.SkipLockedRows})
            RETURNING id
            """;
        SqlDialect.Add(command, "@claim", id);
        SqlDialect.Add(command, "@until", now.AddSeconds(societyOptions.Value.ClaimSeconds));
        SqlDialect.Add(command, "@paused", false);
        SqlDialect.Add(command, "@now", now);
        SqlDialect.Add(command, "@limit", limit);
        var ids = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetInt32(0));
            }
        }

        return ids.Count == 0 ? null : new Claim(id, ids, now);
    }

    /// <summary>Gives up what is left of a claim, so its bots are due again at once rather than when it lapses.</summary>
    private async Task ReleaseAsync(string claim, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await db.Bots.Where(b => b.ClaimedBy == claim)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.ClaimedBy, (string?)null).SetProperty(b => b.ClaimedUntil, (DateTime?)null), ct);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            // The claim lapses by itself after Society:ClaimSeconds.
            LogReleaseFailed(ex, claim);
        }
    }

    /// <summary>Runs the bots of a claim on <paramref name="db"/>, whose connection the caller holds open for the tick.</summary>
    private async Task<TickReport> RunClaimedAsync(BotSocietyDb db, Claim claim, long tick, SocietySettings settings, long loadStarted, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);

        // Stopwatch, not TimeProvider: these figures measure this machine's work, not the society's clock.
        var due = await db.Bots.AsNoTracking()
            .Where(b => b.ClaimedBy == claim.Id)
            .OrderBy(b => b.NextHeartbeatAt).ThenBy(b => b.Id)
            .ToListAsync(ct);
        if (due.Count == 0)
        {
            return TickReport.Nothing(tick);
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
        if (contexts.Count == 1)
        {
            // A small society's tick is mostly one bot: planned here, without handing it to the thread pool and back.
            plans[0] = await PlanSafelyAsync(contexts[0], caps[contexts[0].Bot.Id], settings.Seed, ct);
        }
        else
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, contexts.Count),
                new ParallelOptions { MaxDegreeOfParallelism = societyOptions.Value.ModelConcurrency, CancellationToken = ct },
                async (i, token) => plans[i] = await PlanSafelyAsync(contexts[i], caps[contexts[i].Bot.Id], settings.Seed, token));
        }

        var planByBot = plans.ToDictionary(p => p.Context.Bot.Id);

        var applyStarted = Stopwatch.GetTimestamp();
        IReadOnlyList<AppliedHeartbeat> applied;
        try
        {
            applied = await applier.ApplyAsync(db, claim.Id, due, planByBot, caps, settings.Seed, settings.Pace, now, ct);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            // The transaction rolled back whole: nothing of it was written, and every bot is still due.
            LogTickFailed(ex, tick);
            await ReleaseAsync(claim.Id, CancellationToken.None);
            return new TickReport(tick, due.Count, 0, due.Count, 0, false, []);
        }

        // The commit is shared by the tick's heartbeats; each carries its part of it.
        var commitShare = (Stopwatch.GetElapsedTime(applyStarted) - applied.Aggregate(TimeSpan.Zero, (sum, a) => sum + a.ApplyTime)) / Math.Max(1, applied.Count);
        var outcomes = new List<HeartbeatOutcome>(applied.Count);
        foreach (var heartbeat in applied)
        {
            var plan = planByBot.GetValueOrDefault(heartbeat.BotId);
            outcomes.Add(new HeartbeatOutcome(heartbeat.BotId, heartbeat.Action, heartbeat.Succeeded,
                (plan is null ? TimeSpan.Zero : loadShare + plan.PromptTime) + heartbeat.ApplyTime + commitShare,
                plan?.ModelTime ?? TimeSpan.Zero));
        }

        await outbox.SendAfterCommitAsync(ct);
        await PauseRefusedProvidersAsync(plans, ct);
        if (await Alerts.AlertEvaluator.RulesExistAsync(db.Database.GetDbConnection(), ct))
        {
            await alerts.EvaluateAsync(ct);
        }

        var acted = applied.Count(a => a.Succeeded);
        var failed = applied.Count(a => a.Action == ActivityActions.HeartbeatFailed);
        var capped = applied.Count(a => a.Action == ActivityActions.UsageCapped);
        LogTick(tick, due.Count, acted, failed, capped);
        return new TickReport(tick, due.Count, acted, failed, capped, false, outcomes);
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

    public void Dispose() => gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Tick {Tick}: {Due} due, {Acted} acted, {Failed} failed, {Capped} capped")]
    private partial void LogTick(long tick, int due, int acted, int failed, int capped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tick {Tick} could not be saved and was rolled back; its bots stay due")]
    private partial void LogTickFailed(Exception exception, long tick);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tick {Tick}: {Bots} due bots claimed and queued in {Batches} batches")]
    private partial void LogDispatched(long tick, int bots, int batches);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot {BotId} of batch {Claim} no longer exists; skipped")]
    private partial void LogBotGone(int botId, string claim);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} bots of batch {Claim} are no longer claimed by it (their claim lapsed and a later tick took them, or they acted); skipped: {BotIds}")]
    private partial void LogClaimsLost(int count, string claim, string botIds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The claim {Claim} could not be released; its bots wait until it lapses")]
    private partial void LogReleaseFailed(Exception exception, string claim);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A tick was requested while the previous one is still running; skipped")]
    private partial void LogTickSkipped();

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot {BotId}'s heartbeat could not be planned")]
    private partial void LogPlanFailed(Exception exception, int botId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The bots of provider {Provider} could not be paused after it refused its key")]
    private partial void LogPauseFailed(Exception exception, string provider);
}
