using System.Globalization;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Data.Dialects;
using BotSociety.Core.Reputation;
using BotSociety.Core.Social;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Usage;

/// <summary>How big the society is and what it spent today.</summary>
public sealed record SocietyTotals(
    int Bots, int ActiveBots, int PausedBots, int Threads, int Posts, int Votes, int Follows, int Activities,
    DateOnly Today, long TokensToday, double CostTodayUsd);

/// <summary>How often one bot took each action.</summary>
public sealed record BotActionCounts(int BotId, string BotName, int Total, IReadOnlyDictionary<string, int> Counts);

/// <summary>The dashboard's overview: totals and actions per bot.</summary>
public sealed record SocietyStats(SocietyTotals Totals, IReadOnlyList<BotActionCounts> ActionsPerBot);

/// <summary>
/// What one bot spent on one UTC day. <see cref="CachedInputTokens"/> is the part of the input a provider read from
/// its prompt cache (billed at the cached rate); <see cref="UnpricedCalls"/> counts calls to a model with no price in
/// the table, whose cost is unknown and not in <see cref="EstimatedCostUsd"/>.
/// </summary>
public sealed record UsageDay(
    DateOnly Day, int BotId, string BotName, long InputTokens, long OutputTokens, long TotalTokens, double EstimatedCostUsd, int Calls,
    long CachedInputTokens, int UnpricedCalls);

/// <summary>
/// Spend per bot per day over a range of UTC days (both ends included), and per provider and model: <c>by_model</c> per
/// day and kind of call, <c>providers</c> with calls, failure rate and model latency. Those two are the whole society's
/// (model usage is not kept per bot), and latency comes from the traces kept (<c>Traces:RetentionDays</c>).
/// </summary>
public sealed record UsageReport(DateOnly From, DateOnly To, IReadOnlyList<UsageDay> Items)
{
    public IReadOnlyList<ModelUsageItem> ByModel { get; init; } = [];
    public IReadOnlyList<ProviderUsage> Providers { get; init; } = [];
}

/// <summary>Calls to one model on one day for one kind of call (<c>heartbeat</c>, <c>memory_summary</c>, <c>interview</c>).</summary>
public sealed record ModelUsageItem(
    DateOnly Day, string Provider, string Model, string Kind, long Calls, long Failures, long InputTokens, long OutputTokens, double CostUsd);

/// <summary>One provider over the range: calls, failed calls and their share, and model latency (median, 95th percentile) over <c>latency_samples</c> traced calls.</summary>
public sealed record ProviderUsage(
    string Provider, long Calls, long Failures, double FailureRate, double CostUsd, double? LatencyP50Ms, double? LatencyP95Ms, int LatencySamples);

/// <summary>A bot's reputation at one moment.</summary>
public sealed record ReputationPoint(DateTime Timestamp, double ReputationScore);

/// <summary>One bot's reputation over time, oldest first.</summary>
public sealed record ReputationSeries(int BotId, string BotName, IReadOnlyList<ReputationPoint> Points);

/// <summary>A validated usage query.</summary>
public sealed record UsageRange(DateOnly From, DateOnly To, int? BotId)
{
    public const int MaxDays = 366;
    public const int DefaultDays = 7;

    /// <summary>Parses <c>from</c>, <c>to</c> (YYYY-MM-DD) and <c>bot_id</c>; the default is the last 7 UTC days up to today.</summary>
    public static (UsageRange Range, IReadOnlyList<FieldError> Errors) Parse(string? from, string? to, string? botId, DateOnly today)
    {
        var errors = new List<FieldError>();
        var end = today;
        if (!string.IsNullOrEmpty(to) && !DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out end))
        {
            errors.Add(new("to", $"must be a date as YYYY-MM-DD; got '{to}'"));
            end = today;
        }

        var start = end.AddDays(1 - DefaultDays);
        if (!string.IsNullOrEmpty(from) && !DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out start))
        {
            errors.Add(new("from", $"must be a date as YYYY-MM-DD; got '{from}'"));
        }

        int? bot = null;
        if (!string.IsNullOrEmpty(botId))
        {
            if (int.TryParse(botId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                bot = id;
            }
            else
            {
                errors.Add(new("bot_id", $"must be a bot's numeric id; got '{botId}'"));
            }
        }

        if (errors.Count == 0)
        {
            if (start > end)
            {
                errors.Add(new("from", $"must be on or before to ({end:yyyy-MM-dd}); got '{start:yyyy-MM-dd}'"));
            }
            else if (end.DayNumber - start.DayNumber + 1 > MaxDays)
            {
                errors.Add(new("to", $"must be at most {MaxDays} days after from, both included; got {end.DayNumber - start.DayNumber + 1} days"));
            }
        }

        return (new UsageRange(start, end, bot), errors);
    }
}

/// <summary>A validated reputation history query.</summary>
public sealed record ReputationHistoryQuery(int? BotId, DateTime? Since, int Limit, DateTime? AsOf = null)
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;

    /// <summary>
    /// The most points one answer holds across all its bots, each bot an equal share (at least two: its oldest and
    /// newest), up to <c>limit</c>. An overview chart shows no more: a dozen bots get 166 points each, and 200 bots
    /// 10 each, which is already more than a 1,200-pixel chart of 200 lines can tell apart. One bot's own history
    /// (<c>bot_id</c>) takes up to 1,000. The budget also keeps the all-bots answer near 140 KB and its p95 within
    /// 20 ms at 200 bots (bench/api.sh); at 4,000 points it was 283 KB and 35-48 ms.
    /// </summary>
    public const int MaxPointsInAll = 2000;

    /// <summary>Parses <c>bot_id</c>, <c>since</c> and <c>as_of</c> (ISO 8601) and <c>limit</c> (points per bot).</summary>
    public static (ReputationHistoryQuery Query, IReadOnlyList<FieldError> Errors) Parse(string? botId, string? since, string? limit, string? asOf = null)
    {
        var errors = new List<FieldError>();
        var bot = QueryValues.BotId("bot_id", botId, errors);
        var points = DefaultLimit;

        var from = QueryValues.Instant("since", since, errors);
        var end = QueryValues.Instant("as_of", asOf, errors);
        if (from is { } start && end is { } stop && stop <= start)
        {
            errors.Add(new("as_of", $"must be later than since ({start:O}); got '{asOf}'"));
        }

        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out points) || points is < 1 or > MaxLimit))
        {
            errors.Add(new("limit", $"must be a whole number from 1 to {MaxLimit}; got '{limit}'"));
        }

        return (new ReputationHistoryQuery(bot, from, points, end), errors);
    }
}

/// <summary>Read side of the dashboard's statistics: totals, actions, usage per day and reputation over time.</summary>
public sealed class StatsQueries(IDbContextFactory<BotSocietyDb> dbFactory, SqlDialect dialect, Traces.TraceQueries traces, TimeProvider time)
{
    public async Task<SocietyStats> GetAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var bots = await db.Bots.AsNoTracking().OrderBy(b => b.Id).Select(b => new { b.Id, b.Name, b.IsPaused }).ToListAsync(cancellationToken);
        var usage = await db.DailyUsage.AsNoTracking().Where(u => u.Day == today)
            .Select(u => new { u.InputTokens, u.OutputTokens, u.EstimatedCostUsd }).ToListAsync(cancellationToken);
        // The count is read as stored and narrowed here: a CAST in the SQL made EF Core's read of these 2,000 rows
        // take twice as long (1.9 ms against 1.0).
        var counts = (await db.ActivityCounts.AsNoTracking().Select(c => new { c.BotId, c.Action, c.Count }).ToListAsync(cancellationToken))
            .Select(c => (c.BotId, c.Action, Count: (int)c.Count)).ToList();
        var byBot = counts.ToLookup(c => c.BotId);

        // The kept counters, not four counts of the tables: PostgreSQL took 160 ms to count them (see SocialTotals).
        var social = await SocialSums.ReadAsync(db, cancellationToken);
        var totals = new SocietyTotals(
            bots.Count, bots.Count(b => !b.IsPaused), bots.Count(b => b.IsPaused),
            (int)social.Threads, (int)social.Posts, (int)social.Votes, (int)social.Follows,
            counts.Sum(c => c.Count), today, usage.Sum(u => u.InputTokens + u.OutputTokens), usage.Sum(u => u.EstimatedCostUsd));
        var actions = bots.Select(b => new BotActionCounts(
            b.Id, b.Name, byBot[b.Id].Sum(c => c.Count),
            byBot[b.Id].OrderBy(c => c.Action, StringComparer.Ordinal).ToDictionary(c => c.Action, c => c.Count))).ToList();
        return new SocietyStats(totals, actions);
    }

    /// <summary>The UTC day today, by the society's clock.</summary>
    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    /// <summary>Spend per bot per day in the range, by day then bot.</summary>
    public async Task<UsageReport> UsageAsync(UsageRange range, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = db.DailyUsage.AsNoTracking().Where(u => u.Day >= range.From && u.Day <= range.To);
        if (range.BotId is { } botId)
        {
            rows = rows.Where(u => u.BotId == botId);
        }

        var items = await rows
            .OrderBy(u => u.Day).ThenBy(u => u.BotId)
            .Select(u => new UsageDay(
                u.Day, u.BotId, u.Bot!.Name, u.InputTokens, u.OutputTokens, u.InputTokens + u.OutputTokens, u.EstimatedCostUsd, u.Calls,
                u.CachedInputTokens, u.UnpricedCalls))
            .ToListAsync(cancellationToken);
        var byModel = await db.ModelUsage.AsNoTracking()
            .Where(u => u.Day >= range.From && u.Day <= range.To)
            .OrderBy(u => u.Day).ThenBy(u => u.Provider).ThenBy(u => u.Model).ThenBy(u => u.Kind)
            .Select(u => new ModelUsageItem(u.Day, u.Provider, u.Model, u.Kind, u.Calls, u.Failures, u.InputTokens, u.OutputTokens, u.CostUsd))
            .ToListAsync(cancellationToken);
        var latency = (await traces.LatencyAsync(range.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), cancellationToken))
            .ToDictionary(l => l.Provider, StringComparer.Ordinal);
        var providers = byModel.GroupBy(u => u.Provider).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var calls = g.Sum(u => u.Calls);
            var failures = g.Sum(u => u.Failures);
            var l = latency.GetValueOrDefault(g.Key);
            return new ProviderUsage(g.Key, calls, failures, calls == 0 ? 0 : Math.Round((double)failures / calls, 4), g.Sum(u => u.CostUsd),
                l?.P50Ms, l?.P95Ms, l?.Samples ?? 0);
        }).ToList();
        return new UsageReport(range.From, range.To, items) { ByModel = byModel, Providers = providers };
    }

    /// <summary>
    /// Reputation per bot over time from the points kept as activity is written (the score of each bot's latest row
    /// in every ten-minute bucket): at most <c>limit</c> evenly spaced points per bot, always including the newest.
    /// </summary>
    public async Task<IReadOnlyList<ReputationSeries>> ReputationHistoryAsync(ReputationHistoryQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var bots = db.Bots.AsNoTracking();
        if (query.BotId is { } botId)
        {
            bots = bots.Where(b => b.Id == botId);
        }

        var names = await bots.OrderBy(b => b.Id).Select(b => new { b.Id, b.Name, b.LastHeartbeatAt }).ToListAsync(cancellationToken);
        var perBot = Math.Min(query.Limit, Math.Max(2, ReputationHistoryQuery.MaxPointsInAll / Math.Max(1, names.Count)));

        var buckets = db.ReputationBuckets.AsNoTracking();
        if (query.BotId is { } only)
        {
            buckets = buckets.Where(p => p.BotId == only);
        }

        if (query.Since is { } since)
        {
            buckets = buckets.Where(p => p.At >= since);
        }

        // As of a moment (a replay), only buckets that had ended by then: an open one holds later rows.
        var cut = query.AsOf is { } asOf ? ReputationBucket.BucketOf(asOf) : (DateTime?)null;
        if (cut is { } end)
        {
            buckets = buckets.Where(p => p.Bucket < end);
        }

        var chosen = await SampleSlotsAsync(db, buckets, query, perBot, cancellationToken);

        // Each bot's newest point too, wherever it falls: the chart must end at the score the bot has now. A bot's
        // newest bucket is its last heartbeat's (every heartbeat writes a row), so no scan of the buckets finds it;
        // as of a past moment it is found by one seek on the bucket key per bot.
        var lasts = cut is { } before
            ? (await bots.Select(b => new
                {
                    b.Id,
                    Last = db.ReputationBuckets.Where(r => r.BotId == b.Id && r.Bucket < before).OrderByDescending(r => r.Bucket)
                        .Select(r => new { r.Bucket, r.At }).FirstOrDefault(),
                })
                .ToListAsync(cancellationToken)).Where(b => b.Last is not null).ToDictionary(b => b.Id, b => (b.Last!.Bucket, b.Last.At))
            : names.Where(b => b.LastHeartbeatAt is not null).ToDictionary(b => b.Id, b => (Bucket: ReputationBucket.BucketOf(b.LastHeartbeatAt!.Value), At: b.LastHeartbeatAt!.Value));
        var newest = lasts.Where(l => query.Since is null || l.Value.At >= query.Since)
            .Select(l => (BotId: l.Key, l.Value.Bucket))
            .Where(n => !chosen.Contains(n.Bucket)).ToList();
        var points = names.ToDictionary(b => b.Id, _ => new List<ReputationPoint>(perBot + 1));
        ReadPoints(db, chosen, newest, query, points);
        return names.Select(b =>
        {
            var series = points[b.Id];
            series.Sort(static (x, y) => x.Timestamp.CompareTo(y.Timestamp));
            return new ReputationSeries(b.Id, b.Name, series);
        }).ToList();
    }

    /// <summary>
    /// The points of the chosen slots and of each bot's newest bucket, read past EF Core's row shaping. Its rows cost
    /// about 3 µs each here (a text date through a value converter, an awaited read per row), and Microsoft.Data.Sqlite
    /// runs async reads synchronously anyway, its docs advising against them: the all-bots answer's 2,000 points took
    /// 8-11 ms that way and take 2-4 ms so, in process on bench/api.sh's society.
    /// </summary>
    private void ReadPoints(
        BotSocietyDb db, List<DateTime> slots, List<(int BotId, DateTime Bucket)> newest, ReputationHistoryQuery query,
        Dictionary<int, List<ReputationPoint>> points)
    {
        if (slots.Count + newest.Count == 0)
        {
            return;
        }

        db.Database.OpenConnection();
        try
        {
            using var command = dialect.ReputationPointsCommand(db.Database.GetDbConnection(), slots, newest, query.BotId, query.Since);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (points.TryGetValue(reader.GetInt32(0), out var series))
                {
                    series.Add(new ReputationPoint(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc), reader.GetDouble(2)));
                }
            }
        }
        finally
        {
            db.Database.CloseConnection();
        }
    }

    /// <summary>
    /// Buckets are ten-minute slots shared by every bot, so the sample is chosen among slots and only the chosen
    /// slots' rows are read. The slots are found by index seeks, never by reading every bucket (a week of 200 bots
    /// is 200,000 of them): the range's first and last, then <paramref name="count"/> evenly spaced instants across
    /// it, each moved to the first slot at or after it, so a society that was stopped for a while gets no empty slots.
    /// </summary>
    private async Task<List<DateTime>> SampleSlotsAsync(
        BotSocietyDb db, IQueryable<ReputationBucket> buckets, ReputationHistoryQuery query, int count, CancellationToken cancellationToken)
    {
        var first = await buckets.MinAsync(p => (DateTime?)p.Bucket, cancellationToken);
        var last = await buckets.MaxAsync(p => (DateTime?)p.Bucket, cancellationToken);
        if (first is not { } from || last is not { } to)
        {
            return [];
        }

        var slotCount = (to - from).Ticks / ReputationBucket.BucketLength.Ticks + 1;
        if (slotCount <= count)
        {
            return await buckets.Where(p => p.Bucket >= from && p.Bucket <= to)
                .Select(p => p.Bucket).Distinct().OrderBy(b => b).ToListAsync(cancellationToken);
        }

        var grid = SpacedIndexes(slotCount, count).Select(i => from.AddTicks(i * ReputationBucket.BucketLength.Ticks)).ToList();
        var slots = dialect.FirstSlotsAtOrAfter(db, grid, query.BotId);
        return [.. (await slots.ToListAsync(cancellationToken)).Order()];
    }

    /// <summary>Evenly spaced indexes of <paramref name="total"/> items, first and last included.</summary>
    internal static IEnumerable<long> SpacedIndexes(long total, int limit) =>
        limit == 1 ? [total - 1]
        : Enumerable.Range(0, limit).Select(i => (long)Math.Round(i * (total - 1) / (double)(limit - 1))).Distinct();
}
