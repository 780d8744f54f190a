using System.Text.Json;
using BotSociety.Core.Data;
using BotSociety.Core.Llm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Traces;

/// <summary>One model call as the API shows it (<c>GET /api/activity/{id}/trace</c>).</summary>
public sealed record TraceView(
    long TraceId, long? ActivityId, int? BotId, string Kind, string Provider, string Model, bool Simulated,
    IReadOnlyList<TraceMessage> Messages, string? Completion, int InputTokens, int OutputTokens, int CachedInputTokens,
    double LatencyMs, double? CostUsd, int Retries, string? FailureKind, string? Failure, DateTime CreatedAt);

/// <summary>A message as it was sent: its role (<c>system</c>, <c>user</c>, <c>assistant</c>) and its text.</summary>
public sealed record TraceMessage(string Role, string Text);

/// <summary>Model latency of one provider over the traces kept: calls measured and their median and 95th percentile.</summary>
public sealed record ProviderLatency(string Provider, int Samples, double? P50Ms, double? P95Ms);

/// <summary>Reads and prunes the kept traces.</summary>
public sealed partial class TraceQueries(
    IDbContextFactory<BotSocietyDb> dbFactory, TimeProvider time, IOptions<TracesOptions> options, ILogger<TraceQueries> logger)
{
    /// <summary>The latest call behind an activity row; null when none was kept (no call made, or pruned).</summary>
    public async Task<TraceView?> ForActivityAsync(long activityId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var t = await db.ModelTraces.AsNoTracking().Where(t => t.ActivityId == activityId).OrderByDescending(t => t.Id).FirstOrDefaultAsync(cancellationToken);
        return t is null
            ? null
            : new TraceView(
                t.Id, t.ActivityId, t.BotId, t.Kind, t.Provider, t.Model, ModelProviders.IsSimulated(t.Provider),
                JsonSerializer.Deserialize<List<TraceMessage>>(t.Messages, SocietyJson.Options) ?? [], t.Completion,
                t.InputTokens, t.OutputTokens, t.CachedInputTokens, t.LatencyMs, t.CostUsd, t.Retries, t.FailureKind, t.Failure, t.CreatedAt);
    }

    /// <summary>
    /// Median and 95th-percentile latency per provider for calls at or after <paramref name="since"/> (traces only
    /// reach back <c>Traces:RetentionDays</c>). Latencies are read per provider, newest first, at most 20,000 each.
    /// </summary>
    public async Task<IReadOnlyList<ProviderLatency>> LatencyAsync(DateTime since, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var providers = await db.ModelTraces.AsNoTracking().Where(t => t.CreatedAt >= since).Select(t => t.Provider).Distinct().ToListAsync(cancellationToken);
        var result = new List<ProviderLatency>();
        foreach (var provider in providers.Order(StringComparer.Ordinal))
        {
            var latencies = await db.ModelTraces.AsNoTracking()
                .Where(t => t.Provider == provider && t.CreatedAt >= since)
                .OrderByDescending(t => t.CreatedAt).Take(20_000).Select(t => t.LatencyMs)
                .ToListAsync(cancellationToken);
            latencies.Sort();
            result.Add(new ProviderLatency(provider, latencies.Count, Percentile(latencies, 0.50), Percentile(latencies, 0.95)));
        }

        return result;
    }

    /// <summary>
    /// Deletes traces older than <c>Traces:RetentionDays</c>, then the oldest until the rest fit in <c>Traces:MaxMegabytes</c>.
    /// Returns how many were deleted.
    /// </summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-settings.RetentionDays);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deleted = await db.ModelTraces.Where(t => t.CreatedAt < cutoff).ExecuteDeleteAsync(cancellationToken);

        // Newest first until the budget is spent: what does not fit, and everything older, goes.
        var budget = settings.MaxMegabytes * 1024L * 1024L;
        long kept = 0;
        long? oldestKept = null;
        var over = false;
        await foreach (var row in db.ModelTraces.AsNoTracking().OrderByDescending(t => t.Id).Select(t => new { t.Id, t.SizeBytes }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            kept += row.SizeBytes;
            if (kept > budget)
            {
                over = true;
                break;
            }

            oldestKept = row.Id;
        }

        if (over)
        {
            var keepFrom = oldestKept ?? long.MaxValue;
            deleted += await db.ModelTraces.Where(t => t.Id < keepFrom).ExecuteDeleteAsync(cancellationToken);
        }

        if (deleted > 0)
        {
            LogPruned(deleted, settings.RetentionDays, settings.MaxMegabytes);
        }

        return deleted;
    }

    private static double? Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        // Nearest rank: the smallest value with at least p of the samples at or below it.
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} model traces (kept: the last {Days} days within {Megabytes} MB)")]
    private partial void LogPruned(int count, int days, int megabytes);
}
