using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace BotSociety.Functions.Tests;

/// <summary>
/// The threads view's API over HTTP: full-text search over titles, openings and replies, the four sorts, the topic list,
/// and a cap set below today's spend, which caps the bot at once.
/// </summary>
public sealed partial class ThreadSearchApiTests(PopulatedSociety society) : IClassFixture<PopulatedSociety>
{
    private const int CappedAtOnceBot = 4;

    [Fact]
    public async Task SearchFindsAThreadByAWordOfItsTitleOrOfAReplyAndNothingForNoWord()
    {
        using var list = await society.GetJsonAsync("/api/threads?limit=200");
        var threads = list.RootElement.GetProperty("items").EnumerateArray().ToList();
        var thread = threads.First(t => Words(t.GetProperty("title").GetString()!).Any());
        var word = Words(thread.GetProperty("title").GetString()!).First();

        var found = await ThreadIdsAsync($"q={Uri.EscapeDataString(word)}");
        Assert.Contains(thread.GetProperty("id").GetInt32(), found.Ids);
        Assert.Equal(found.Ids.Count, found.Total);
        Assert.True(found.Total < threads.Count, $"'{word}' matched every thread");

        // A word only a reply holds finds the reply's thread.
        var replied = threads.First(t => t.GetProperty("reply_count").GetInt32() > 0);
        using var detail = await society.GetJsonAsync($"/api/threads/{replied.GetProperty("id").GetInt32()}");
        var replyWord = Words(detail.RootElement.GetProperty("replies")[0].GetProperty("body").GetString()!).First();
        Assert.Contains(replied.GetProperty("id").GetInt32(), (await ThreadIdsAsync($"q={Uri.EscapeDataString(replyWord)}")).Ids);

        Assert.Empty((await ThreadIdsAsync("q=zzqxv")).Ids);
        Assert.Equal(0, (await ThreadIdsAsync("q=the%20a")).Total);
    }

    [Theory]
    [InlineData("replies", "reply_count")]
    [InlineData("votes", "score")]
    public async Task SortsOrderTheListByTheirCounter(string sort, string counter)
    {
        using var page = await society.GetJsonAsync($"/api/threads?sort={sort}&limit=200");
        var values = page.RootElement.GetProperty("items").EnumerateArray().Select(t => t.GetProperty(counter).GetInt32()).ToList();
        Assert.True(values.Count > 1);
        Assert.Equal(values.OrderDescending(), values);
    }

    [Fact]
    public async Task ActiveAndNewestSortsOrderByTheirTimes()
    {
        using var active = await society.GetJsonAsync("/api/threads?sort=active&limit=200");
        var times = active.RootElement.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("last_activity_at").GetDateTime()).ToList();
        Assert.Equal(times.OrderDescending(), times);
        using var newest = await society.GetJsonAsync("/api/threads?limit=200");
        var opened = newest.RootElement.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("created_at").GetDateTime()).ToList();
        Assert.Equal(opened.OrderDescending(), opened);
    }

    [Fact]
    public async Task TopicsCountEveryThreadMostFirstAndFilterTheList()
    {
        using var topics = await society.GetJsonAsync("/api/topics");
        var counts = topics.RootElement.EnumerateArray().Select(t => (Topic: t.GetProperty("topic").GetString()!, Threads: t.GetProperty("threads").GetInt32())).ToList();
        using var all = await society.GetJsonAsync("/api/threads?limit=1");
        Assert.Equal(all.RootElement.GetProperty("total").GetInt32(), counts.Sum(c => c.Threads));
        Assert.Equal(counts.Select(c => c.Threads).OrderDescending(), counts.Select(c => c.Threads));
        using var one = await society.GetJsonAsync($"/api/threads?topic={Uri.EscapeDataString(counts[0].Topic)}&limit=200");
        Assert.Equal(counts[0].Threads, one.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ABadSortIsAProblemNamingItAndAnEmptyOneIsTheDefault()
    {
        using var problem = await society.GetProblemAsync("/api/threads?sort=oldest", HttpStatusCode.BadRequest);
        Assert.Contains("newest, replies, votes, active", problem.RootElement.GetProperty("errors").GetProperty("sort")[0].GetString(), StringComparison.Ordinal);
        using var fine = await society.GetJsonAsync("/api/threads?sort=");
    }

    [Fact]
    public async Task AnOverLongQueryIsAProblemNamingQ()
    {
        using var problem = await society.GetProblemAsync($"/api/threads?q={new string('a', 201)}", HttpStatusCode.BadRequest);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("q", out _));
    }

    [Fact]
    public async Task ACapBelowTodaysSpendCapsTheBotAtOnceUntilMidnight()
    {
        var (response, text) = await society.SendAsync(HttpMethod.Put, $"/api/bots/{CappedAtOnceBot}/cost-cap", """{"daily_token_cap": 1, "daily_cost_cap_usd": null}""");
        using (response)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        }

        using var bot = await society.GetJsonAsync($"/api/bots/{CappedAtOnceBot}");
        var b = bot.RootElement;
        var used = b.GetProperty("usage").GetProperty("input_tokens").GetInt64() + b.GetProperty("usage").GetProperty("output_tokens").GetInt64();
        Assert.Equal("capped", b.GetProperty("status").GetString());
        Assert.Equal($"Daily token cap reached: {used.ToString("N0", CultureInfo.InvariantCulture)} of 1 tokens", b.GetProperty("status_reason").GetString());
        Assert.Equal(TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(1), b.GetProperty("next_heartbeat_at").GetDateTime());

        var row = Assert.Single(await society.ActivityAsync($"&bot={CappedAtOnceBot}&action=usage_capped"));
        Assert.Equal("cost_cap_changed", row.GetProperty("details").GetProperty("cause").GetString());
        Assert.Equal(used, row.GetProperty("details").GetProperty("tokens_today").GetInt64());
    }

    private async Task<(List<int> Ids, int Total)> ThreadIdsAsync(string query)
    {
        using var page = await society.GetJsonAsync($"/api/threads?limit=200&{query}");
        return ([.. page.RootElement.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetInt32())], page.RootElement.GetProperty("total").GetInt32());
    }

    /// <summary>Words a search can find: letters only, five or more, lower-cased.</summary>
    private static IEnumerable<string> Words(string text) =>
        Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).Where(w => w.Length >= 5).OrderByDescending(w => w.Length);

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();
}
