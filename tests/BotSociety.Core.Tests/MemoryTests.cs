using System.Text.Json.Nodes;
using BotSociety.Core.Data;
using BotSociety.Core.Memory;
using BotSociety.Core.Search;
using BotSociety.Core.Simulation;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Tests;

public sealed class MemoryTests
{
    private const double Decay = 0.85;
    private const double PruneBelow = 0.15;

    [Fact]
    public async Task WarmMemoryIsBounded()
    {
        var model = new ScriptedModel();
        await using var society = await TestSociety.StartAsync(model.Services, settings: new Dictionary<string, string?>
        {
            ["Memory:MaxFacts"] = "3",
        });

        // "b-tree indexes" twice: finding the same article again makes it matter more, so it outlives newer finds. Every
        // query is on Ada's interests: a bot remembers only what bears on its persona (issue 19).
        string[] queries = ["b-tree indexes", "b-tree indexes", "raft consensus", "confidence intervals", "garbage collection", "vector clocks", "pattern matching"];
        foreach (var query in queries)
        {
            model.Say("Ada", $$"""{"action":"search","query":"{{query}}"}""");
            await society.OnlyDueAsync("Ada");
            await society.TickAsync(TimeSpan.FromMinutes(1));
        }

        var searches = await society.ActivityOfAsync("Ada", ActivityActions.Search);
        Assert.Equal(queries.Length, searches.Count);
        var found = searches.Select(s => ((JsonArray)SocietyReads.DetailsOf(s)["results"]!).Select(r => (string)r!["source"]!).ToList()).ToList();
        Assert.All(found, sources => Assert.NotEmpty(sources));
        Assert.Equal(found[0], found[1]);

        // Apart from the repeated "b-tree indexes", no two searches share one of their two best hits.
        var remembered = found.Select(s => s.Take(2).ToList()).ToList();
        Assert.Equal(remembered.Sum(s => s.Count) - remembered[0].Count, remembered.SelectMany(s => s).Distinct().Count());

        var ada = await society.BotIdAsync("Ada");
        await using var db = society.Db();
        var facts = await db.WarmMemories.Where(m => m.BotId == ada && m.Category == MemoryCategory.Fact).ToListAsync();
        Assert.Equal(3, facts.Count);
        var searchIds = searches.Select(s => (long?)s.Id).ToHashSet();
        Assert.All(facts, f =>
        {
            Assert.StartsWith(OfflineCorpusSearch.SourcePrefix, f.Source, StringComparison.Ordinal);
            Assert.NotNull(f.ActivityId);
            Assert.Contains(f.ActivityId, searchIds);
        });

        // Survivors: the twice-found index article (the oldest, but the most important) and the best hits of the
        // last two searches; every second-best hit (less important) and every older best hit was evicted.
        Assert.Equal(
            new[] { found[0][0], found[^2][0], found[^1][0] }.Order(StringComparer.Ordinal),
            facts.Select(f => f.Source!).Order(StringComparer.Ordinal));
        var twice = facts.Single(f => f.Source == found[0][0]);
        Assert.Equal(searches[1].Id, twice.ActivityId);
        Assert.True(facts.Where(f => f != twice).All(f => f.Importance < twice.Importance), "the twice-found fact is the most important");
    }

    [Fact]
    public async Task SummariesAreMadeAndWarmMemoryPruned()
    {
        await using var society = await TestSociety.StartAsync(settings: new Dictionary<string, string?>
        {
            // Five hours of a busy society must not run into the token cap, which would stop its summaries.
            ["Usage:DefaultDailyTokenCap"] = "100000000",
        });
        for (var i = 0; i < 60; i++)
        {
            await society.TickAsync(TimeSpan.FromMinutes(5));
        }

        var ada = await society.BotIdAsync("Ada");
        long faded, kept;
        await using (var db = society.Db())
        {
            Assert.Equal(0, await db.ColdMemories.CountAsync());
            faded = await RememberAsync(db, ada, "knitting", 0.16, TestSociety.Start);
            kept = await RememberAsync(db, ada, "origami", 0.9, TestSociety.Start);
        }

        society.Clock.Advance(TimeSpan.FromHours(7));
        var written = await society.Compressor.RunAsync(CancellationToken.None);

        await using (var db = society.Db())
        {
            var summaries = await db.ColdMemories.Include(c => c.Activity).ToListAsync();
            Assert.Equal(written, summaries.Count);
            Assert.Equal(16, summaries.Select(s => s.BotId).Distinct().Count());
            Assert.All(summaries, s =>
            {
                Assert.False(string.IsNullOrWhiteSpace(s.Summary));
                Assert.True(s.PeriodStart <= s.PeriodEnd, $"period {s.PeriodStart:O} to {s.PeriodEnd:O}");
                Assert.True(s.ActivityCount >= 5, $"summary of {s.ActivityCount} activities");
                var row = s.Activity!;
                Assert.Equal(ActivityActions.MemoryCompressed, row.Action);
                Assert.Equal(s.BotId, row.BotId);
                Assert.True(row.TokensUsed > 0);
                Assert.Contains("\"simulated\":true", row.Details, StringComparison.Ordinal);
                Assert.Equal(s.Summary, (string)SocietyReads.DetailsOf(row)["summary"]!);
            });
            Assert.Equal(summaries.Count, await db.ActivityLog.CountAsync(a => a.Action == ActivityActions.MemoryCompressed));

            // Old, unrefreshed memory fades; what fades below the threshold is gone.
            Assert.False(await db.WarmMemories.AnyAsync(m => m.Id == faded), "a faded memory is pruned");
            Assert.Equal(0.9 * Decay, (await db.WarmMemories.SingleAsync(m => m.Id == kept)).Importance, 9);
            Assert.False(await db.WarmMemories.AnyAsync(m => m.Importance < PruneBelow));
        }

        // Idempotent: the same periods are never summarized twice.
        Assert.Equal(0, await society.Compressor.RunAsync(CancellationToken.None));
        await using var check = society.Db();
        Assert.Equal(written, await check.ColdMemories.CountAsync());
        Assert.Equal(written, await check.ActivityLog.CountAsync(a => a.Action == ActivityActions.MemoryCompressed));
        Assert.Equal(0.9 * Decay, (await check.WarmMemories.SingleAsync(m => m.Id == kept)).Importance, 9);
    }

    [Fact]
    public async Task WarmMemoryRefreshedDuringTheCompressedPeriodDoesNotFade()
    {
        var model = new ScriptedModel();
        await using var society = await TestSociety.StartAsync(model.Services);
        var ada = await society.BotIdAsync("Ada");
        long untouched;
        await using (var db = society.Db())
        {
            untouched = await RememberAsync(db, ada, "knitting", 0.5, TestSociety.Start);
        }

        foreach (var query in new[] { "tea", "chess opening", "black holes", "compost", "sourdough" })
        {
            model.Say("Ada", $$"""{"action":"search","query":"{{query}}"}""");
            await society.OnlyDueAsync("Ada");
            await society.TickAsync(TimeSpan.FromMinutes(10));
        }

        Dictionary<long, double> before;
        await using (var db = society.Db())
        {
            before = await db.WarmMemories.Where(m => m.BotId == ada && m.Id != untouched).ToDictionaryAsync(m => m.Id, m => m.Importance);
        }

        society.Clock.Advance(TimeSpan.FromHours(7));
        Assert.Equal(1, await society.Compressor.RunAsync(CancellationToken.None));

        await using var check = society.Db();
        var summary = await check.ColdMemories.SingleAsync();
        Assert.Equal(5, summary.ActivityCount);
        Assert.Equal(0.5 * Decay, (await check.WarmMemories.SingleAsync(m => m.Id == untouched)).Importance, 9);

        // MemoryOptions.ImportanceDecay: only items "untouched during a compressed period" fade; these were touched in it.
        var after = await check.WarmMemories.Where(m => m.BotId == ada && m.Id != untouched).ToDictionaryAsync(m => m.Id, m => m.Importance);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task FailingSummaryModelWritesNothing()
    {
        var model = new ScriptedModel { SummaryFailure = new HttpRequestException("connection refused") };
        await using var society = await TestSociety.StartAsync(model.Services);
        for (var i = 0; i < 8; i++)
        {
            await society.TickAsync();
        }

        var ada = await society.BotIdAsync("Ada");
        long remembered;
        Dictionary<int, long> usageBefore;
        await using (var db = society.Db())
        {
            remembered = await RememberAsync(db, ada, "knitting", 0.16, TestSociety.Start);
            usageBefore = await db.DailyUsage.ToDictionaryAsync(u => u.BotId, u => u.InputTokens + u.OutputTokens);
        }

        society.Clock.Advance(TimeSpan.FromHours(7));
        var written = await society.Compressor.RunAsync(CancellationToken.None);

        Assert.Equal(0, written);
        Assert.Equal(16, model.AskedToSummarize.Distinct().Count());
        await using var check = society.Db();
        Assert.Equal(0, await check.ColdMemories.CountAsync());
        Assert.Equal(0, await check.ActivityLog.CountAsync(a => a.Action == ActivityActions.MemoryCompressed));
        Assert.Equal(0.16, (await check.WarmMemories.SingleAsync(m => m.Id == remembered)).Importance);
        Assert.Equal(usageBefore, await check.DailyUsage.ToDictionaryAsync(u => u.BotId, u => u.InputTokens + u.OutputTokens));

        // Nothing was lost: once the model answers again, the same activity is summarized.
        model.SummaryFailure = null;
        Assert.Equal(16, await society.Compressor.RunAsync(CancellationToken.None));
    }

    /// <summary>Adds an interest the bot last touched at <paramref name="touched"/>; returns its id.</summary>
    private static async Task<long> RememberAsync(BotSocietyDb db, int botId, string subject, double importance, DateTimeOffset touched)
    {
        var memory = new WarmMemory
        {
            BotId = botId,
            Category = MemoryCategory.Interest,
            Subject = subject,
            Content = $"Keeps coming back to {subject}.",
            Importance = importance,
            CreatedAt = touched.UtcDateTime,
            UpdatedAt = touched.UtcDateTime,
        };
        db.WarmMemories.Add(memory);
        await db.SaveChangesAsync();
        return memory.Id;
    }
}
