using System.Globalization;
using System.Net;
using System.Text.Json;

namespace BotSociety.Functions.Tests;

/// <summary>The stats and memory endpoints of the dashboard, read over HTTP and checked against the activity feed.</summary>
public sealed class StatsAndMemoryApiTests(PopulatedSociety society) : IClassFixture<PopulatedSociety>
{
    private static readonly string[] Categories = ["facts", "relationships", "opinions", "interests"];

    [Fact]
    public async Task StatsCountWhatTheFeedShows()
    {
        var all = await society.ActivityAsync();
        using var bots = await society.GetJsonAsync("/api/bots");
        using var threads = await society.GetJsonAsync("/api/threads");

        using var stats = await society.GetJsonAsync("/api/stats");

        var totals = stats.RootElement.GetProperty("totals");
        Assert.Equal(bots.RootElement.GetProperty("total").GetInt32(), totals.GetProperty("bots").GetInt32());
        Assert.Equal(totals.GetProperty("bots").GetInt32(), totals.GetProperty("active_bots").GetInt32() + totals.GetProperty("paused_bots").GetInt32());
        Assert.Equal(all.Count, totals.GetProperty("activities").GetInt32());
        Assert.Equal(threads.RootElement.GetProperty("total").GetInt32(), totals.GetProperty("threads").GetInt32());
        Assert.Equal(all.Count(a => a.GetProperty("action").GetString() == "reply"), totals.GetProperty("posts").GetInt32());
        Assert.Equal(all.Count(a => a.GetProperty("action").GetString() == "follow"), totals.GetProperty("follows").GetInt32());
        Assert.Equal(all.Count(a => a.GetProperty("action").GetString() == "vote"), totals.GetProperty("votes").GetInt32());
        var today = totals.GetProperty("today").GetString();
        Assert.Equal(
            all.Where(a => Day(a) == today).Sum(a => a.GetProperty("tokens_used").GetInt64()),
            totals.GetProperty("tokens_today").GetInt64());

        var perBot = stats.RootElement.GetProperty("actions_per_bot").EnumerateArray().ToList();
        Assert.Equal(totals.GetProperty("bots").GetInt32(), perBot.Count);
        foreach (var bot in perBot)
        {
            var mine = all.Where(a => a.GetProperty("bot_id").GetInt32() == bot.GetProperty("bot_id").GetInt32()).ToList();
            var counts = bot.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
            Assert.Equal(mine.GroupBy(a => a.GetProperty("action").GetString()!).ToDictionary(g => g.Key, g => g.Count()), counts);
            Assert.Equal(mine.Count, bot.GetProperty("total").GetInt32());
        }
    }

    [Fact]
    public async Task UsagePerDaySumsToTheActivityTokensOfThatDay()
    {
        var all = await society.ActivityAsync();

        using var usage = await society.GetJsonAsync("/api/stats/usage");

        var root = usage.RootElement;
        var to = DateOnly.Parse(root.GetProperty("to").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(to.AddDays(-6), DateOnly.Parse(root.GetProperty("from").GetString()!, CultureInfo.InvariantCulture));
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        var spenders = all.Where(a => a.GetProperty("tokens_used").GetInt32() > 0).Select(a => (a.GetProperty("bot_id").GetInt32(), Day(a))).Distinct().Count();
        Assert.Equal(spenders, items.Count);
        foreach (var item in items)
        {
            var mine = all.Where(a => a.GetProperty("bot_id").GetInt32() == item.GetProperty("bot_id").GetInt32() && Day(a) == item.GetProperty("day").GetString()).ToList();
            Assert.Equal(mine.Sum(a => a.GetProperty("input_tokens").GetInt64()), item.GetProperty("input_tokens").GetInt64());
            Assert.Equal(mine.Sum(a => a.GetProperty("output_tokens").GetInt64()), item.GetProperty("output_tokens").GetInt64());
            Assert.Equal(item.GetProperty("input_tokens").GetInt64() + item.GetProperty("output_tokens").GetInt64(), item.GetProperty("total_tokens").GetInt64());
            Assert.Equal(mine.Sum(a => a.GetProperty("cost_usd").GetDouble()), item.GetProperty("estimated_cost_usd").GetDouble(), 9);
            Assert.Equal(
                mine.Sum(a => a.GetProperty("details").TryGetProperty("cached_input_tokens", out var cached) ? cached.GetInt64() : 0),
                item.GetProperty("cached_input_tokens").GetInt64());
            Assert.Equal(
                mine.Count(a => a.GetProperty("details").TryGetProperty("cost_unknown", out var unknown) && unknown.GetBoolean()),
                item.GetProperty("unpriced_calls").GetInt32());
            Assert.Equal(mine[0].GetProperty("bot_name").GetString(), item.GetProperty("bot_name").GetString());
        }

        var one = items[0].GetProperty("bot_id").GetInt32();
        using var filtered = await society.GetJsonAsync($"/api/stats/usage?from={to.AddDays(-1):yyyy-MM-dd}&to={to:yyyy-MM-dd}&bot_id={one}");
        Assert.Equal(items.Count(i => i.GetProperty("bot_id").GetInt32() == one), filtered.RootElement.GetProperty("items").GetArrayLength());
        using var past = await society.GetJsonAsync("/api/stats/usage?from=2020-01-01&to=2020-12-31");
        Assert.Equal(0, past.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task ReputationHistoryFollowsTheActivityLog()
    {
        var all = await society.ActivityAsync();
        var bot = all[0].GetProperty("bot_id").GetInt32();

        using var history = await society.GetJsonAsync($"/api/stats/reputation-history?bot_id={bot}");
        using var sampled = await society.GetJsonAsync("/api/stats/reputation-history?limit=2");

        // A point per ten-minute bucket: the score the bot's latest row in it recorded.
        var series = Assert.Single(history.RootElement.EnumerateArray());
        Assert.Equal(bot, series.GetProperty("bot_id").GetInt32());
        Assert.Equal(all[0].GetProperty("bot_name").GetString(), series.GetProperty("bot_name").GetString());
        Assert.Equal(
            Buckets(all, bot).Select(a => (a.GetProperty("timestamp").GetDateTime(), a.GetProperty("details").GetProperty("reputation_score").GetDouble())),
            series.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("timestamp").GetDateTime(), p.GetProperty("reputation_score").GetDouble())));

        foreach (var each in sampled.RootElement.EnumerateArray())
        {
            var theirs = Buckets(all, each.GetProperty("bot_id").GetInt32());
            var few = each.GetProperty("points").EnumerateArray().ToList();
            Assert.Equal(Math.Min(2, theirs.Count), few.Count);
            if (theirs.Count > 0)
            {
                // The newest point is always kept, and with two the oldest too.
                Assert.Equal(theirs[^1].GetProperty("timestamp").GetDateTime(), few[^1].GetProperty("timestamp").GetDateTime());
                Assert.Equal(theirs[0].GetProperty("timestamp").GetDateTime(), few[0].GetProperty("timestamp").GetDateTime());
            }
        }
    }

    /// <summary>A bot's latest activity row of each ten-minute bucket, oldest bucket first (the feed is newest first).</summary>
    private static List<JsonElement> Buckets(List<JsonElement> newestFirst, int bot) =>
        [.. newestFirst.Where(a => a.GetProperty("bot_id").GetInt32() == bot)
            .GroupBy(a => a.GetProperty("timestamp").GetDateTime().Ticks / TimeSpan.FromMinutes(10).Ticks)
            .OrderBy(g => g.Key)
            .Select(g => g.First())];

    [Fact]
    public async Task WarmMemoryCategoriesPageIndependently()
    {
        var (bot, category) = await BotWithAtLeastTwoInSomeCategoryAsync();

        using var first = await society.GetJsonAsync($"/api/bots/{bot}/memory/warm?limit=1");
        using var second = await society.GetJsonAsync($"/api/bots/{bot}/memory/warm?limit=1&{category}_offset=1");
        using var all = await society.GetJsonAsync($"/api/bots/{bot}/memory/warm");

        var moved = second.RootElement.GetProperty(category);
        Assert.Equal(1, moved.GetProperty("offset").GetInt32());
        Assert.Equal(1, moved.GetProperty("limit").GetInt32());
        Assert.Equal(
            all.RootElement.GetProperty(category).GetProperty("items")[1].GetProperty("id").GetInt64(),
            Assert.Single(moved.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
        foreach (var other in Categories.Where(c => c != category))
        {
            Assert.Equal(first.RootElement.GetProperty(other).ToString(), second.RootElement.GetProperty(other).ToString());
            Assert.Equal(0, second.RootElement.GetProperty(other).GetProperty("offset").GetInt32());
        }

        foreach (var name in Categories)
        {
            var page = all.RootElement.GetProperty(name);
            Assert.Equal(50, page.GetProperty("limit").GetInt32());
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(page.GetProperty("total").GetInt32(), items.Count);
            var keys = items.Select(i => (i.GetProperty("importance").GetDouble(), i.GetProperty("updated_at").GetDateTime())).ToList();
            Assert.Equal(keys.OrderByDescending(k => k.Item1).ThenByDescending(k => k.Item2), keys);
        }
    }

    [Fact]
    public async Task WarmMemoryNamesTheActivityThatMadeIt()
    {
        var activity = (await society.ActivityAsync()).ToDictionary(a => a.GetProperty("id").GetInt64());
        var (bot, _) = await BotWithAtLeastTwoInSomeCategoryAsync();

        using var warm = await society.GetJsonAsync($"/api/bots/{bot}/memory/warm");

        var items = Categories.SelectMany(c => warm.RootElement.GetProperty(c).GetProperty("items").EnumerateArray()).ToList();
        Assert.NotEmpty(items);
        foreach (var item in items)
        {
            Assert.False(string.IsNullOrEmpty(item.GetProperty("subject").GetString()));
            Assert.False(string.IsNullOrEmpty(item.GetProperty("content").GetString()));
            var source = item.GetProperty("activity");
            // The activity may be another bot's: a reply to this bot is remembered by both.
            var row = activity[source.GetProperty("id").GetInt64()];
            Assert.Equal(row.GetProperty("action").GetString(), source.GetProperty("action").GetString());
            Assert.Equal(row.GetProperty("timestamp").GetDateTime(), source.GetProperty("created_at").GetDateTime());
        }
    }

    [Fact]
    public async Task MemoryTogetherIsWarmFirstPagesAndColdFirstPage()
    {
        var (bot, _) = await BotWithAtLeastTwoInSomeCategoryAsync();

        using var together = await society.GetJsonAsync($"/api/bots/{bot}/memory");
        using var warm = await society.GetJsonAsync($"/api/bots/{bot}/memory/warm");
        using var cold = await society.GetJsonAsync($"/api/bots/{bot}/memory/cold");

        Assert.Equal(bot, together.RootElement.GetProperty("bot_id").GetInt32());
        Assert.Equal(warm.RootElement.ToString(), together.RootElement.GetProperty("warm").ToString());
        Assert.Equal(cold.RootElement.ToString(), together.RootElement.GetProperty("cold").ToString());
        Assert.Equal(10, cold.RootElement.GetProperty("limit").GetInt32());
        Assert.Equal(0, cold.RootElement.GetProperty("offset").GetInt32());
    }

    [Theory]
    [InlineData("/api/stats/usage?from=2026-02-30", "from")]
    [InlineData("/api/stats/usage?to=tomorrow", "to")]
    [InlineData("/api/stats/usage?from=2026-03-02&to=2026-03-01", "from")]
    [InlineData("/api/stats/usage?from=2025-01-01&to=2026-01-02", "to")]
    [InlineData("/api/stats/usage?bot_id=ada", "bot_id")]
    [InlineData("/api/stats/reputation-history?limit=1001", "limit")]
    [InlineData("/api/stats/reputation-history?since=last%20week", "since")]
    [InlineData("/api/stats/reputation-history?bot_id=-1", "bot_id")]
    [InlineData("/api/bots/1/memory/warm?facts_offset=-1", "facts_offset")]
    [InlineData("/api/bots/1/memory/warm?interests_offset=x", "interests_offset")]
    [InlineData("/api/bots/1/memory/warm?limit=0", "limit")]
    [InlineData("/api/bots/1/memory/cold?offset=x", "offset")]
    [InlineData("/api/bots/ada/memory", "bot_id")]
    [InlineData("/api/bots/ada/memory/cold", "bot_id")]
    public async Task BadInputGives400NamingTheField(string path, string field)
    {
        using var problem = await society.GetProblemAsync(path, HttpStatusCode.BadRequest);

        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
    }

    [Theory]
    [InlineData("/api/bots/999999/memory")]
    [InlineData("/api/bots/999999/memory/warm")]
    [InlineData("/api/bots/999999/memory/cold")]
    public async Task UnknownBotGives404(string path)
    {
        using var problem = await society.GetProblemAsync(path, HttpStatusCode.NotFound);

        Assert.Contains("999999", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static string Day(JsonElement activity) =>
        activity.GetProperty("timestamp").GetDateTime().ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<(int Bot, string Category)> BotWithAtLeastTwoInSomeCategoryAsync()
    {
        using var bots = await society.GetJsonAsync("/api/bots");
        foreach (var bot in bots.RootElement.GetProperty("items").EnumerateArray().Select(b => b.GetProperty("id").GetInt32()))
        {
            using var warm = await society.GetJsonAsync($"/api/bots/{bot}/memory/warm");
            if (Categories.FirstOrDefault(c => warm.RootElement.GetProperty(c).GetProperty("total").GetInt32() >= 2) is { } category)
            {
                return (bot, category);
            }
        }

        Assert.Fail("No bot remembers two things of one kind yet.");
        return default;
    }
}
