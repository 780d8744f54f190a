using BotSociety.Core.Data;
using BotSociety.Core.Memory;
using BotSociety.Core.Reputation;
using BotSociety.Core.Simulation;
using BotSociety.Core.Social;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace BotSociety.Core.Tests;

/// <summary>The read side the dashboard uses where a real clock cannot reach: summaries hours apart, sampling, date ranges.</summary>
public sealed class ReadQueryTests
{
    [Fact]
    public async Task ColdMemoryPagesNewestFirstWithTheActivityThatWroteIt()
    {
        await using var society = await TestSociety.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Usage:DefaultDailyTokenCap"] = "100000000",
        });
        for (var period = 0; period < 2; period++)
        {
            for (var i = 0; i < 8; i++)
            {
                await society.TickAsync(TimeSpan.FromMinutes(5));
            }

            society.Clock.Advance(TimeSpan.FromHours(7));
            Assert.True(await society.Compressor.RunAsync(CancellationToken.None) > 0);
        }

        var ada = await society.BotIdAsync("Ada");
        var compressions = await society.ActivityOfAsync("Ada", ActivityActions.MemoryCompressed);
        Assert.Equal(2, compressions.Count);
        var memory = society.Services.GetRequiredService<MemoryQueries>();

        var newest = await memory.ColdAsync(ada, new Paging(1, 0), CancellationToken.None);
        var older = await memory.ColdAsync(ada, new Paging(1, 1), CancellationToken.None);
        var together = await memory.AllAsync(ada, CancellationToken.None);

        Assert.NotNull(newest);
        Assert.NotNull(older);
        Assert.Equal(2, newest.Total);
        var first = Assert.Single(newest.Items);
        var second = Assert.Single(older.Items);
        Assert.True(first.PeriodStart > second.PeriodEnd, "newest summary first");
        Assert.Equal(compressions[1].Id, first.Activity!.Id);
        Assert.Equal(compressions[0].Id, second.Activity!.Id);
        Assert.Equal(ActivityActions.MemoryCompressed, first.Activity.Action);
        Assert.Equal(compressions[1].Model, first.Activity.Model);
        Assert.Equal(compressions[1].TokensUsed, first.Activity.TokensUsed);
        Assert.Equal((string)SocietyReads.DetailsOf(compressions[1])["summary"]!, first.Summary);
        Assert.True(first.ActivityCount >= 5);
        Assert.NotNull(together);
        Assert.Equal(10, together.Cold.Limit);
        Assert.Equal([first.Id, second.Id], together.Cold.Items.Select(c => c.Id));
        Assert.Null(await memory.ColdAsync(9999, new Paging(10, 0), CancellationToken.None));
    }

    [Fact]
    public async Task ReputationHistorySamplesEvenlyAndKeepsTheNewest()
    {
        // Ten minutes apart: one row of a bot per ten-minute bucket, so every row is a point.
        await using var society = await TestSociety.StartAsync();
        for (var i = 0; i < 12; i++)
        {
            await society.TickAsync(TimeSpan.FromMinutes(10));
        }

        var ada = await society.BotIdAsync("Ada");
        var rows = await society.ActivityOfAsync("Ada");
        Assert.True(rows.Count >= 10, $"Ada acted {rows.Count} times");
        var stats = society.Services.GetRequiredService<StatsQueries>();

        var all = Assert.Single(await stats.ReputationHistoryAsync(new ReputationHistoryQuery(ada, null, 1000), CancellationToken.None));
        var three = Assert.Single(await stats.ReputationHistoryAsync(new ReputationHistoryQuery(ada, null, 3), CancellationToken.None));
        var since = Assert.Single(await stats.ReputationHistoryAsync(new ReputationHistoryQuery(ada, rows[^3].CreatedAt, 1000), CancellationToken.None));

        Assert.Equal(rows.Select(r => ((double)SocietyReads.DetailsOf(r)["reputation_score"]!, r.CreatedAt)), all.Points.Select(p => (p.ReputationScore, p.Timestamp)));
        Assert.Equal(3, three.Points.Count);
        Assert.Equal(rows[0].CreatedAt, three.Points[0].Timestamp);
        Assert.Equal(rows[^1].CreatedAt, three.Points[^1].Timestamp);
        var middle = rows.FindIndex(r => r.CreatedAt == three.Points[1].Timestamp);
        Assert.InRange(middle, (rows.Count / 2) - 1, (rows.Count / 2) + 1);
        Assert.Equal(rows.Where(r => r.CreatedAt >= rows[^3].CreatedAt).Select(r => r.CreatedAt), since.Points.Select(p => p.Timestamp));
    }

    [Fact]
    public async Task ReputationHistorySamplesInTimeAndSkipsAStretchWithoutActivity()
    {
        // An hour of activity, two silent days, another hour: about 300 ten-minute slots, of which only 12 hold rows.
        await using var society = await TestSociety.StartAsync();
        for (var i = 0; i < 6; i++)
        {
            await society.TickAsync(TimeSpan.FromMinutes(10));
        }

        society.Clock.Advance(TimeSpan.FromDays(2));
        for (var i = 0; i < 6; i++)
        {
            await society.TickAsync(TimeSpan.FromMinutes(10));
        }

        var ada = await society.BotIdAsync("Ada");
        var rows = await society.ActivityOfAsync("Ada");
        var afterGap = rows.First(r => r.CreatedAt > rows[0].CreatedAt.AddDays(1));
        var stats = society.Services.GetRequiredService<StatsQueries>();

        var four = Assert.Single(await stats.ReputationHistoryAsync(new ReputationHistoryQuery(ada, null, 4), CancellationToken.None));
        var everyBot = await stats.ReputationHistoryAsync(new ReputationHistoryQuery(null, null, 4), CancellationToken.None);

        // Instants a third of the way along land in the silence and move to the first slot after it; none is empty.
        var times = four.Points.Select(p => p.Timestamp).ToList();
        Assert.InRange(times.Count, 3, 4);
        Assert.All(times, t => Assert.Contains(rows, r => r.CreatedAt == t));
        Assert.Equal(rows[0].CreatedAt, times[0]);
        Assert.Equal(afterGap.CreatedAt, times[1]);
        Assert.Equal(rows[^1].CreatedAt, times[^1]);
        Assert.Equal(times.Order(), times);
        Assert.Equal(times, everyBot.Single(s => s.BotId == ada).Points.Select(p => p.Timestamp));
    }

    [Fact]
    public async Task ReadModelsFollowTheLogAndAreRebuiltFromIt()
    {
        // Two minutes apart: several rows share a ten-minute bucket, whose point is the latest of them.
        await using var society = await TestSociety.StartAsync();
        for (var i = 0; i < 15; i++)
        {
            await society.TickAsync(TimeSpan.FromMinutes(2));
        }

        // Old enough to be summarised: the compressor's row (written through EF) is counted too.
        society.Clock.Advance(TimeSpan.FromHours(7));
        await society.Compressor.RunAsync(CancellationToken.None);
        var (counts, points) = await ReadModelsAsync(society);
        await using (var db = society.Db())
        {
            var all = await db.ActivityLog.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
            Assert.Contains(all, a => a.Action == "memory_compressed");

            // The bots' own rows: the society's (operator actions, alerts) are counted apart.
            var log = all.Where(a => a.BotId is not null).Select(a => (BotId: a.BotId!.Value, a.Action, a.CreatedAt, Row: a)).ToList();
            Assert.Equal(
                log.GroupBy(a => (a.BotId, a.Action)).Select(g => (g.Key.BotId, g.Key.Action, (long)g.Count())).Order(),
                counts);
            Assert.Equal(
                log.GroupBy(a => (a.BotId, Bucket: ReputationBucket.BucketOf(a.CreatedAt)))
                    .Select(g => (g.Key.BotId, g.Key.Bucket, g.Last().CreatedAt, (double)SocietyReads.DetailsOf(g.Last().Row)["reputation_score"]!)).Order(),
                points);
            Assert.True(points.Count < log.Count);

            // A log written before the read models existed gets them at start.
            await db.ActivityCounts.ExecuteDeleteAsync();
            await db.ReputationBuckets.ExecuteDeleteAsync();
            Assert.Equal(all.Count, await ReadModelBackfill.EnsureAsync(db, CancellationToken.None));
            Assert.Equal(0, await ReadModelBackfill.EnsureAsync(db, CancellationToken.None));
        }

        var (rebuiltCounts, rebuiltPoints) = await ReadModelsAsync(society);
        Assert.Equal(counts, rebuiltCounts);
        Assert.Equal(points, rebuiltPoints);
    }

    [Fact]
    public async Task SocialTotalsCountEveryRowWhoeverWritesItAndAreMadeForAnExistingSociety()
    {
        await using var society = await TestSociety.StartAsync();
        for (var i = 0; i < 40; i++)
        {
            await society.TickAsync(TimeSpan.FromMinutes(2));
        }

        // A row written through EF Core, not the heartbeat writer, is counted too: the database keeps the counters.
        var ada = await society.BotIdAsync("Ada");
        await using (var db = society.Db())
        {
            db.Threads.Add(new ForumThread { BotId = ada, Title = "Written by a test", Body = "Body", Topic = "testing", CreatedAt = society.Clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync();
        }

        var counted = await TableCountsAsync(society);
        Assert.True(counted.Values.Sum(c => c.Threads) > 8 && counted.Values.Sum(c => c.Posts) > 0 && counted.Values.Sum(c => c.Votes) > 0,
            $"the society wrote too little to test: {string.Join(", ", counted)}");
        Assert.Equal(counted, await KeptTotalsAsync(society));

        var threads = society.Services.GetRequiredService<ThreadQueries>();
        var votes = society.Services.GetRequiredService<VoteQueries>();
        var stats = await society.Services.GetRequiredService<StatsQueries>().GetAsync(CancellationToken.None);
        Assert.Equal(counted.Values.Sum(c => c.Threads), stats.Totals.Threads);
        Assert.Equal(counted.Values.Sum(c => c.Posts), stats.Totals.Posts);
        Assert.Equal(counted.Values.Sum(c => c.Votes), stats.Totals.Votes);
        Assert.Equal(counted.Values.Sum(c => c.Follows), stats.Totals.Follows);
        Assert.Equal(stats.Totals.Threads, (await threads.ListAsync(new Paging(1, 0), new ThreadFilter(), CancellationToken.None)).Total);
        Assert.Equal(counted[ada].Threads, (await threads.ListAsync(new Paging(1, 0), new ThreadFilter(ada), CancellationToken.None)).Total);
        Assert.Equal(1, (await threads.ListAsync(new Paging(1, 0), new ThreadFilter(Topic: "testing"), CancellationToken.None)).Total);
        Assert.Equal(stats.Totals.Votes, (await votes.ListAsync(new Paging(1, 0), new VoteFilter(), CancellationToken.None)).Total);
        Assert.Equal(counted[ada].Votes, (await votes.ListAsync(new Paging(1, 0), new VoteFilter(BotId: ada), CancellationToken.None)).Total);

        // A society made before the counters existed gets them from its tables when it migrates.
        await using (var db = society.Db())
        {
            var migrator = db.GetService<IMigrator>();
            var migrations = db.Database.GetMigrations().ToList();
            var before = migrations[migrations.FindIndex(m => m.EndsWith("_SocialTotals", StringComparison.Ordinal)) - 1];
            await migrator.MigrateAsync(before);
            // As the app does after migrating (SqliteDialect.PrepareAsync): a pooled connection keeps the schema it read.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await using (var older = society.Db())
            {
                // Rows written while no trigger counted them are in the tables the migration reads.
                older.Threads.Add(new ForumThread { BotId = ada, Title = "Written before", Body = "Body", Topic = "testing", CreatedAt = society.Clock.GetUtcNow().UtcDateTime });
                await older.SaveChangesAsync();
            }

            await migrator.MigrateAsync();
        }

        var recounted = await TableCountsAsync(society);
        Assert.Equal(counted[ada].Threads + 1, recounted[ada].Threads);
        Assert.Equal(recounted, await KeptTotalsAsync(society));
    }

    [Theory]
    [InlineData("2024-01-01", "2024-12-31", null)]
    [InlineData("2024-01-01", "2025-01-01", "to")]
    [InlineData("2024-01-02", "2024-01-01", "from")]
    [InlineData("2024-1-2", "2024-01-03", "from")]
    public void UsageRangeAllowsAtMost366DaysInOrder(string from, string to, string? field)
    {
        var (range, errors) = UsageRange.Parse(from, to, null, new DateOnly(2026, 3, 2));

        if (field is null)
        {
            Assert.Empty(errors);
            Assert.Equal(366, range.To.DayNumber - range.From.DayNumber + 1);
        }
        else
        {
            Assert.Equal(field, Assert.Single(errors).Field);
        }
    }

    [Fact]
    public void UsageRangeDefaultsToTheLastSevenDays()
    {
        var (range, errors) = UsageRange.Parse(null, null, null, new DateOnly(2026, 3, 2));

        Assert.Empty(errors);
        Assert.Equal(new UsageRange(new DateOnly(2026, 2, 24), new DateOnly(2026, 3, 2), null), range);
    }

    private static async Task<Dictionary<int, (long Threads, long Posts, long Votes, long Follows)>> TableCountsAsync(TestSociety society)
    {
        await using var db = society.Db();
        var bots = await db.Bots.Select(b => b.Id).ToListAsync();
        var threads = await db.Threads.GroupBy(t => t.BotId).ToDictionaryAsync(g => g.Key, g => (long)g.Count());
        var posts = await db.Posts.GroupBy(p => p.BotId).ToDictionaryAsync(g => g.Key, g => (long)g.Count());
        var votes = await db.Votes.GroupBy(v => v.BotId).ToDictionaryAsync(g => g.Key, g => (long)g.Count());
        var follows = await db.Follows.GroupBy(f => f.FollowerId).ToDictionaryAsync(g => g.Key, g => (long)g.Count());
        return bots
            .Select(b => (Bot: b, Counts: (threads.GetValueOrDefault(b), posts.GetValueOrDefault(b), votes.GetValueOrDefault(b), follows.GetValueOrDefault(b))))
            .Where(b => b.Counts != default)
            .ToDictionary(b => b.Bot, b => b.Counts);
    }

    /// <summary>The kept counters of every bot that has written something (a bot with all zeros is left out on both sides).</summary>
    private static async Task<Dictionary<int, (long Threads, long Posts, long Votes, long Follows)>> KeptTotalsAsync(TestSociety society)
    {
        await using var db = society.Db();
        return (await db.SocialTotals.AsNoTracking().ToListAsync())
            .Select(t => (t.BotId, Counts: (t.Threads, t.Posts, t.Votes, t.Follows)))
            .Where(t => t.Counts != default)
            .ToDictionary(t => t.BotId, t => t.Counts);
    }

    private static async Task<(List<(int, string, long)> Counts, List<(int, DateTime, DateTime, double)> Points)> ReadModelsAsync(TestSociety society)
    {
        await using var db = society.Db();
        var counts = (await db.ActivityCounts.AsNoTracking().ToListAsync()).Select(c => (c.BotId, c.Action, c.Count)).Order().ToList();
        var points = (await db.ReputationBuckets.AsNoTracking().ToListAsync()).Select(p => (p.BotId, p.Bucket, p.At, p.Score)).Order().ToList();
        return (counts, points);
    }
}
