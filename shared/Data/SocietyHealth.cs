using System.Reflection;
using BotSociety.Core.Data.Dialects;
using BotSociety.Core.Realtime;
using BotSociety.Core.Simulation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Data;

/// <summary>
/// What <c>/api/health</c> reports. The status follows the database alone: <c>healthy</c>; <c>degraded</c> while
/// writes fail with a passing fault (<c>cause</c>: <c>disk_full</c>, <c>locked</c>, <c>disk_error</c>,
/// <c>read_only</c>, <c>unreachable</c>) though the database still answers; <c>unhealthy</c> when it cannot be
/// opened or is not migrated. A live stream that lost events degrades dashboards (they fall back to polling) but not
/// the society, and poisoned heartbeat batches are retried by later ticks, so both are reported, not judged.
/// </summary>
public sealed record HealthReport(
    string Status, bool DatabaseReachable, bool MigrationsApplied, IReadOnlyList<string> PendingMigrations, string WorkerVersion, string? Error,
    RealtimeStatus Realtime, HeartbeatQueueReport Queue, string? Cause = null);

/// <summary>Checks that the database answers and is fully migrated, and says how the live stream fares.</summary>
public sealed class SocietyHealth(
    IDbContextFactory<BotSocietyDb> dbFactory, SqlDialect dialect, RealtimeCounters realtime, IOptions<RealtimeOptions> realtimeOptions, HeartbeatQueueStatus queue,
    WriteHealth writes)
{
    private static readonly string Version =
        typeof(SocietyHealth).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var queueReport = await queue.CheckAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var reachable = await db.Database.CanConnectAsync(cancellationToken);
            var pending = reachable ? (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList() : [];
            var healthy = reachable && pending.Count == 0;
            var stream = healthy ? await RealtimeAsync(db, cancellationToken) : Realtime(0, 0);
            if (healthy && writes.Failing is { } failing)
            {
                return new HealthReport("degraded", true, true, pending, Version,
                    $"writes have been failing since {failing.Since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: {failing.Fault.Cause}", stream, queueReport, failing.Fault.Kind);
            }

            return new HealthReport(healthy ? "healthy" : "unhealthy", reachable, reachable && pending.Count == 0, pending, Version,
                reachable ? null : $"the {dialect.Name} database cannot be opened", stream, queueReport, reachable ? null : StorageFaults.Unreachable);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
        {
            var fault = StorageFaults.Classify(ex);
            return new HealthReport("unhealthy", false, false, [], Version, fault?.Cause ?? $"the {dialect.Name} database cannot be opened",
                Realtime(0, 0), queueReport, fault?.Kind ?? StorageFaults.Unreachable);
        }
    }

    /// <summary>The live stream with the outbox's figures, which the database keeps across restarts and instances.</summary>
    private async Task<RealtimeStatus> RealtimeAsync(BotSocietyDb db, CancellationToken cancellationToken)
    {
        var pending = await db.OutboxEvents.LongCountAsync(cancellationToken);
        var lost = await db.SocietySettings.Select(s => s.EventsLost).SingleOrDefaultAsync(cancellationToken);
        return Realtime(pending, lost);
    }

    private RealtimeStatus Realtime(long pending, long lost) => realtime.Snapshot(realtimeOptions.Value, pending, lost);
}
