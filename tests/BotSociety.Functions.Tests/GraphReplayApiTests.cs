using System.Globalization;
using System.Net;
using System.Text.Json;

namespace BotSociety.Functions.Tests;

/// <summary>The graph and the replay reads (activity in a window, oldest first; the graph and reputation as of a moment), over HTTP.</summary>
public sealed class GraphReplayApiTests(PopulatedSociety society) : IClassFixture<PopulatedSociety>
{
    [Fact]
    public async Task GraphEdgesAreTheFollowsRepliesAndVotesTheFeedShows()
    {
        var all = await society.ActivityAsync();
        using var bots = await society.GetJsonAsync("/api/bots?limit=200");

        using var graph = await society.GetJsonAsync("/api/graph");

        var nodes = graph.RootElement.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(bots.RootElement.GetProperty("total").GetInt32(), nodes.Count);
        var reputations = bots.RootElement.GetProperty("items").EnumerateArray()
            .ToDictionary(b => b.GetProperty("id").GetInt32(), b => b.GetProperty("reputation_score").GetDouble());
        foreach (var node in nodes)
        {
            Assert.Equal(reputations[node.GetProperty("bot_id").GetInt32()], node.GetProperty("reputation").GetDouble(), 2);
        }

        var edges = graph.RootElement.GetProperty("edges").EnumerateArray().ToList();
        Assert.Equal(Pairs(all, "follow", "followed_bot_id"), Weights(edges, "follow"));
        Assert.Equal(Pairs(all, "reply", "reply_to_bot_id"), Weights(edges, "reply"));
        Assert.Equal(Pairs(all, "vote", "target_bot_id"), Weights(edges, "vote"));
        Assert.NotEmpty(Weights(edges, "follow"));
        Assert.All(edges.Where(e => e.GetProperty("kind").GetString() == "relationship"), e =>
            Assert.InRange(e.GetProperty("sentiment").GetDouble(), -1, 1));
        var followers = nodes.ToDictionary(n => n.GetProperty("bot_id").GetInt32(), n => n.GetProperty("followers").GetInt32());
        Assert.Equal(Weights(edges, "follow").GroupBy(p => p.Key.Target).ToDictionary(g => g.Key, g => g.Count()), followers.Where(f => f.Value > 0).ToDictionary());
    }

    [Fact]
    public async Task GraphAsOfAMomentHoldsOnlyWhatHappenedBefore()
    {
        var all = await society.ActivityAsync();
        var times = all.Select(a => a.GetProperty("timestamp").GetDateTime().ToUniversalTime()).Distinct().Order().ToList();
        var middle = times[times.Count / 2];
        var before = all.Where(a => a.GetProperty("timestamp").GetDateTime().ToUniversalTime() < middle).ToList();

        using var graph = await society.GetJsonAsync($"/api/graph?as_of={Iso(middle)}");
        using var window = await society.GetJsonAsync($"/api/graph?since={Iso(middle)}");
        using var empty = await society.GetJsonAsync("/api/graph?as_of=2020-01-01T00:00:00Z");

        var edges = graph.RootElement.GetProperty("edges").EnumerateArray().ToList();
        Assert.Equal(Pairs(before, "follow", "followed_bot_id"), Weights(edges, "follow"));
        Assert.Equal(Pairs(before, "vote", "target_bot_id"), Weights(edges, "vote"));
        var after = all.Where(a => a.GetProperty("timestamp").GetDateTime().ToUniversalTime() >= middle).ToList();
        Assert.Equal(Pairs(after, "reply", "reply_to_bot_id"), Weights(window.RootElement.GetProperty("edges").EnumerateArray().ToList(), "reply"));
        Assert.Equal(0, empty.RootElement.GetProperty("nodes").GetArrayLength());
        Assert.Equal(0, empty.RootElement.GetProperty("edges").GetArrayLength());
    }

    [Fact]
    public async Task ActivityOldestFirstPagesThroughAWindow()
    {
        var newest = await society.ActivityAsync();
        var times = newest.Select(a => a.GetProperty("timestamp").GetDateTime().ToUniversalTime()).Distinct().Order().ToList();
        var from = times[1];
        var until = times[^2];
        var expected = newest.Select(Id).Reverse().ToList();

        var oldest = await society.ActivityAsync("&order=asc");
        using var first = await society.GetJsonAsync("/api/activity?order=asc&limit=5");
        using var second = await society.GetJsonAsync("/api/activity?order=asc&limit=5&offset=5");
        var window = await society.ActivityAsync($"&order=asc&since={Iso(from)}&until={Iso(until)}");

        Assert.Equal(expected, oldest.Select(Id));
        Assert.Equal(
            expected.Take(10),
            first.RootElement.GetProperty("items").EnumerateArray().Concat(second.RootElement.GetProperty("items").EnumerateArray()).Select(Id));
        Assert.Equal(
            oldest.Where(a => a.GetProperty("timestamp").GetDateTime().ToUniversalTime() is var t && t >= from && t < until).Select(Id),
            window.Select(Id));
        Assert.NotEmpty(window);
    }

    [Fact]
    public async Task ReputationAsOfTheFutureIsTodaysAndAsOfThePastIsEmpty()
    {
        using var now = await society.GetJsonAsync("/api/stats/reputation-history");
        var later = TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(1);

        using var future = await society.GetJsonAsync($"/api/stats/reputation-history?as_of={Iso(later)}");
        using var past = await society.GetJsonAsync("/api/stats/reputation-history?as_of=2020-01-01T00:00:00Z");

        Assert.Equal(now.RootElement.ToString(), future.RootElement.ToString());
        Assert.All(past.RootElement.EnumerateArray(), s => Assert.Equal(0, s.GetProperty("points").GetArrayLength()));
    }

    [Theory]
    [InlineData("/api/graph?since=yesterday", "since")]
    [InlineData("/api/graph?as_of=2026-13-01", "as_of")]
    [InlineData("/api/graph?since=2026-03-02T00:00:00Z&as_of=2026-03-01T00:00:00Z", "as_of")]
    [InlineData("/api/activity?until=soon", "until")]
    [InlineData("/api/activity?since=2026-03-02T00:00:00Z&until=2026-03-02T00:00:00Z", "until")]
    [InlineData("/api/activity?order=sideways", "order")]
    [InlineData("/api/stats/reputation-history?as_of=then", "as_of")]
    public async Task BadDatesAndOrdersGive400NamingTheField(string path, string field)
    {
        using var problem = await society.GetProblemAsync(path, HttpStatusCode.BadRequest);

        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
    }

    private static long Id(JsonElement activity) => activity.GetProperty("id").GetInt64();

    private static string Iso(DateTime utc) => Uri.EscapeDataString(utc.ToString("O", CultureInfo.InvariantCulture));

    /// <summary>How many rows of an action went from each bot to the bot a detail names, self-directed ones left out.</summary>
    private static Dictionary<(int Source, int Target), int> Pairs(IEnumerable<JsonElement> activity, string action, string targetField) =>
        activity.Where(a => a.GetProperty("action").GetString() == action)
            .Select(a => (Source: a.GetProperty("bot_id").GetInt32(), Target: a.GetProperty("details").GetProperty(targetField).GetInt32()))
            .Where(p => p.Source != p.Target)
            .GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());

    private static Dictionary<(int Source, int Target), int> Weights(IEnumerable<JsonElement> edges, string kind) =>
        edges.Where(e => e.GetProperty("kind").GetString() == kind)
            .ToDictionary(e => (e.GetProperty("source").GetInt32(), e.GetProperty("target").GetInt32()), e => e.GetProperty("weight").GetInt32());
}
