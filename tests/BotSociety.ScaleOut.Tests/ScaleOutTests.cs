using System.Globalization;
using System.Text.Json;
using BotSociety.Core.Reputation;
using Xunit.Abstractions;

namespace BotSociety.ScaleOut.Tests;

/// <summary>
/// Two devhosts on one PostgreSQL and one Azurite behave as two instances of the app scaled out on Azure: every due bot
/// acts once per due time on one of them, both do a share of the work, and when the instance holding the timer dies
/// by SIGKILL the other takes over its claims, its queue messages and the timer. The run is <see cref="ScaleOutRun"/>;
/// each test reads what it recorded and the database it left, as an operator would with SQL and /api/health.
/// </summary>
public sealed class ScaleOutTests(ScaleOutRun run, ITestOutputHelper output) : IClassFixture<ScaleOutRun>
{
    /// <summary>
    /// The rows a heartbeat writes (TickApplier: a model action, heartbeat_failed or usage_capped) carry the due time
    /// they answered; the compressor's memory_compressed rows do not.
    /// </summary>
    private const string Heartbeats = "details::jsonb ? 'due_at'";

    [Fact]
    public async Task NoBotActsTwiceForOneDueTime()
    {
        run.EnsureRan();
        await using var db = await run.OpenAsync();
        var heartbeats = await ScaleOutRun.ScalarAsync<long>(db, $"SELECT count(*) FROM activity_log WHERE {Heartbeats}");
        var twice = await ScaleOutRun.ReadAsync(db, $"""
            SELECT bot_id, details::jsonb->>'due_at', count(*), string_agg(details::jsonb->>'instance' || ' row ' || id, ', ' ORDER BY id)
            FROM activity_log WHERE {Heartbeats} GROUP BY 1, 2 HAVING count(*) > 1 ORDER BY 1, 2
            """, r => $"bot {r.GetInt32(0)} due {r.GetString(1)}: {r.GetInt64(2)} rows ({r.GetString(3)})");
        var unmarked = await ScaleOutRun.ScalarAsync<long>(db,
            $"SELECT count(*) FROM activity_log WHERE action <> 'memory_compressed' AND actor IS NULL AND NOT ({Heartbeats} AND details::jsonb ? 'instance')");
        output.WriteLine($"{heartbeats} heartbeats");

        Assert.True(heartbeats >= ScaleOutRun.Bots, $"only {heartbeats} heartbeats were written\n{run.Describe()}");
        Assert.True(unmarked == 0, $"{unmarked} heartbeat rows carry no due_at or no instance\n{run.Describe()}");
        Assert.True(twice.Count == 0, $"bots acted twice for one due time:\n{string.Join('\n', twice)}\n{run.Describe()}");
    }

    [Fact]
    public async Task EveryBotActsAndNoneIsLeftOverdue()
    {
        run.EnsureRan();
        await using var db = await run.OpenAsync();
        var bots = await ScaleOutRun.ScalarAsync<long>(db, "SELECT count(*) FROM bots");
        var never = await ScaleOutRun.ReadAsync(db, $"SELECT id FROM bots WHERE id NOT IN (SELECT bot_id FROM activity_log WHERE {Heartbeats}) ORDER BY id",
            r => r.GetInt32(0));
        var (worst, seconds) = run.MostOverdue.Count > 0 ? run.MostOverdue[0] : default;
        output.WriteLine($"most overdue before the pause: bot {worst}, {seconds:0.0} s (bound {ScaleOutRun.OverdueBound.TotalSeconds:0} s)");

        Assert.Equal(ScaleOutRun.Bots, bots);
        Assert.True(never.Count == 0, $"{never.Count} bots never acted: {string.Join(", ", never)}\n{run.Describe()}");
        Assert.NotEmpty(run.MostOverdue);
        Assert.True(seconds <= ScaleOutRun.OverdueBound.TotalSeconds,
            $"bot {worst} was overdue by {seconds:0.0} s at the end, beyond the bound of {ScaleOutRun.OverdueBound.TotalSeconds:0} s " +
            $"({string.Join(", ", run.MostOverdue.Select(o => $"bot {o.Bot} {o.Seconds:0.0} s"))})\n{run.Describe()}");
    }

    [Fact]
    public async Task BothInstancesActWithARealShare()
    {
        run.EnsureRan();
        await using var db = await run.OpenAsync();
        var shares = await ScaleOutRun.ReadAsync(db,
            $"SELECT details::jsonb->>'instance', count(*), count(DISTINCT bot_id) FROM activity_log WHERE {Heartbeats} AND id <= @last GROUP BY 1 ORDER BY 1",
            r => (Instance: r.GetString(0), Rows: r.GetInt64(1), Bots: r.GetInt64(2)), ("last", run.LastRowBeforeKill));
        var total = shares.Sum(s => s.Rows);
        var described = string.Join(", ", shares.Select(s => $"{s.Instance}: {s.Rows} heartbeats ({100.0 * s.Rows / total:0}%) of {s.Bots} bots"));
        output.WriteLine($"before the kill: {described}");

        Assert.True(run.Instances.Order().SequenceEqual(shares.Select(s => s.Instance).Order()),
            $"the heartbeats before the kill name {described}, not the two devhosts' workers {string.Join(", ", run.Instances)}\n{run.Describe()}");
        Assert.True(shares.All(s => s.Rows >= total * ScaleOutRun.MinimumShare),
            $"an instance did less than {ScaleOutRun.MinimumShare:P0} of the heartbeats: {described}\n{run.Describe()}");
    }

    [Fact]
    public async Task TheSurvivorTakesOverTheKilledLeaseHoldersClaimsMessagesAndTimer()
    {
        run.EnsureRan();
        await using var db = await run.OpenAsync();
        var afterKill = await ScaleOutRun.ReadAsync(db,
            $"SELECT details::jsonb->>'instance', count(*) FROM activity_log WHERE {Heartbeats} AND id > @last GROUP BY 1 ORDER BY 1",
            r => (Instance: r.GetString(0), Rows: r.GetInt64(1)), ("last", run.LastRowBeforeKill));
        var late = run.ClaimsAtKill.Select(c => c.Bot).Distinct().Where(b => !run.TakeoverSeconds.ContainsKey(b)).ToList();
        // What happened around the kill, for whoever reads the results: the figures, then each process's own lines.
        output.WriteLine(run.Describe());

        Assert.True(run.KilledWorkerGone, $"the killed devhost's worker (pid {run.KilledWorkerPid}) is still running\n{run.Describe()}");
        Assert.True(run.ClaimsAtKill.Count > 0, $"the lease holder held no claims when it was killed, so nothing was taken over\n{run.Describe()}");
        Assert.True(run.LeaseWaits > 0,
            $"no bot of the killed instance waited for a lease to end: the kill caught no batch running on it, so no message was taken over\n{run.Describe()}");
        Assert.True(late.Count == 0 && run.TakeoverTime <= ScaleOutRun.TakeoverBound,
            $"the survivor ran the killed instance's bots after {run.TakeoverTime?.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) ?? "(never)"} s " +
            $"(bound {ScaleOutRun.TakeoverBound.TotalSeconds:0} s); not run: {string.Join(", ", late)}\n{run.Describe()}");
        Assert.True(run.TimerTakeoverTime <= ScaleOutRun.TimerTakeoverBound && run.SurvivorDispatched,
            $"the survivor took the Heartbeat timer's lease after {run.TimerTakeoverTime?.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) ?? "(never)"} s " +
            $"(bound {ScaleOutRun.TimerTakeoverBound.TotalSeconds:0} s), and dispatched a tick: {run.SurvivorDispatched}\n{run.Describe()}");
        Assert.True(afterKill.Count == 1 && afterKill[0].Instance == run.Survivor,
            $"after the kill the heartbeats came from {string.Join(", ", afterKill.Select(a => $"{a.Instance} ({a.Rows})"))}, not the survivor {run.Survivor} alone\n{run.Describe()}");
    }

    [Fact]
    public async Task ReadModelsEqualTheLogAndNoClaimIsLeftOnceDrained()
    {
        run.EnsureRan();
        await using var db = await run.OpenAsync();
        // The bots' own rows; the society's (the run's pause at the end, in the audit trail) have an actor and no counts.
        var log = await ScaleOutRun.ReadAsync(db, "SELECT id, bot_id, action, created_at, details FROM activity_log WHERE actor IS NULL ORDER BY id",
            r => (Id: r.GetInt64(0), BotId: r.GetInt32(1), Action: r.GetString(2), CreatedAt: r.GetDateTime(3), Details: r.GetString(4)));
        var counts = await ScaleOutRun.ReadAsync(db, "SELECT bot_id, action, count FROM activity_counts", r => (r.GetInt32(0), r.GetString(1), r.GetInt64(2)));
        var points = await ScaleOutRun.ReadAsync(db, "SELECT bot_id, bucket, at, score FROM reputation_buckets",
            r => (r.GetInt32(0), r.GetDateTime(1), r.GetDateTime(2), r.GetDouble(3)));
        var claimed = await ScaleOutRun.ReadAsync(db, "SELECT id, claimed_by, claimed_until FROM bots WHERE claimed_by IS NOT NULL OR claimed_until IS NOT NULL ORDER BY id",
            r => $"bot {r.GetInt32(0)} by {(r.IsDBNull(1) ? "(none)" : r.GetString(1))} until {(r.IsDBNull(2) ? "(none)" : r.GetDateTime(2).ToString("O", CultureInfo.InvariantCulture))}");

        var expectedCounts = log.GroupBy(a => (a.BotId, a.Action)).Select(g => (g.Key.BotId, g.Key.Action, (long)g.Count())).Order().ToList();
        var expectedPoints = log.GroupBy(a => (a.BotId, Bucket: ReputationBucket.BucketOf(a.CreatedAt)))
            .Select(g => (g.Key.BotId, g.Key.Bucket, g.Last().CreatedAt, JsonDocument.Parse(g.Last().Details).RootElement.GetProperty("reputation_score").GetDouble()))
            .Order().ToList();
        output.WriteLine($"{log.Count} activity rows, {counts.Count} counts, {points.Count} reputation points; drained in {run.DrainTime.TotalSeconds:0.0} s");

        Assert.True(log.Count > 0);
        Assert.Equal(expectedCounts, counts.Order().ToList());
        Assert.Equal(expectedPoints, points.Order().ToList());
        Assert.True(run.Drained && claimed.Count == 0,
            $"paused and drained ({run.Drained}, queue {run.QueueHealth}), bots are still claimed:\n{string.Join('\n', claimed)}\n{run.Describe()}");
    }

    [Fact]
    public async Task NoHeartbeatFailsToSaveAndNoBatchIsPoisoned()
    {
        run.EnsureRan();
        await using var db = await run.OpenAsync();
        var failed = await ScaleOutRun.ReadAsync(db, """
            SELECT id, bot_id, details::jsonb->>'stage', details::jsonb->>'reason' FROM activity_log
            WHERE action = 'heartbeat_failed' ORDER BY id
            """, r => (Id: r.GetInt64(0), Bot: r.GetInt32(1), Stage: r.GetString(2), Reason: r.GetString(3)));
        output.WriteLine($"{failed.Count} failed heartbeats; queue health after the drain: {run.QueueHealth}");

        var notSaved = failed.Where(f => f.Stage == "apply").ToList();
        Assert.True(notSaved.Count == 0,
            $"heartbeats could not be saved under concurrency:\n{string.Join('\n', notSaved.Select(f => $"row {f.Id} bot {f.Bot}: {f.Reason}"))}\n{run.Describe()}");
        Assert.True(run.Poison == 0 && run.Pending == 0, $"/api/health's queue after the drain: {run.QueueHealth}\n{run.Describe()}");
    }
}
