using System.Reflection;
using BotSociety.Core.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Data;

/// <summary>
/// What <c>/api/health</c> reports. The status follows the database alone: a live stream that lost events
/// degrades dashboards (they fall back to polling) but not the society, so it is reported, not judged.
/// </summary>
public sealed record HealthReport(
    string Status, bool DatabaseReachable, bool MigrationsApplied, IReadOnlyList<string> PendingMigrations, string WorkerVersion, string? Error,
    RealtimeStatus Realtime);

/// <summary>Checks that the database answers and is fully migrated, and says how the live stream fares.</summary>
public sealed class SocietyHealth(IDbContextFactory<BotSocietyDb> dbFactory, RealtimeCounters realtime, IOptions<RealtimeOptions> realtimeOptions)
{
    private static readonly string Version =
        typeof(SocietyHealth).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var reachable = await db.Database.CanConnectAsync(cancellationToken);
            var pending = reachable ? (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList() : [];
            var healthy = reachable && pending.Count == 0;
            return new HealthReport(healthy ? "healthy" : "unhealthy", reachable, reachable && pending.Count == 0, pending, Version,
                reachable ? null : "the database cannot be opened", Realtime());
        }
        catch (Exception ex) when (ex is InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
        {
            return new HealthReport("unhealthy", false, false, [], Version, ex.Message, Realtime());
        }
    }

    private RealtimeStatus Realtime() => realtime.Snapshot(realtimeOptions.Value);
}
