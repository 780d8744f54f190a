using BotSociety.Core.Bots;
using BotSociety.Core.Search;
using BotSociety.Core.Simulation;
using Microsoft.Extensions.DependencyInjection;
using static BotSociety.Core.Tests.FakeHttpServer;

namespace BotSociety.Core.Tests.Providers;

/// <summary>
/// The search action's web provider (Brave Search's API) against a server speaking its format: results, the SQLite
/// cache, the daily request cap, and a clean fallback to the offline corpus when the key is missing or the API fails.
/// </summary>
public sealed class WebSearchTests
{
    private const string SearchKey = "BSA-test-FAKE-search-key-0123456789";

    [Fact]
    public async Task ResultsComeFromTheWebAndTheSameQueryIsServedFromTheCache()
    {
        using var server = Start((_, _) => Wire.Brave(
            ("Why <strong>meteor</strong> showers happen", "https://example.org/meteors", "Earth crosses a comet's debris trail."),
            ("Perseids 2026", "https://example.org/perseids", "The August shower peaks mid-month.")));
        var logs = new CapturedLogs();
        await using var society = await StartAsync(server, logs);
        var search = society.Services.GetRequiredService<ISearchProvider>();

        var first = await search.AnswerAsync("meteor showers", 3, CancellationToken.None);
        var second = await search.AnswerAsync("  Meteor Showers ", 3, CancellationToken.None);

        Assert.Equal(BraveWebSearch.ProviderName, first.Provider);
        Assert.Equal(["Why meteor showers happen", "Perseids 2026"], first.Results.Select(r => r.Title));
        Assert.Equal("https://example.org/meteors", first.Results[0].Source);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/res/v1/web/search?q=meteor%20showers&count=3", request.PathAndQuery);
        Assert.Equal(SearchKey, request.Header("X-Subscription-Token"));
        Assert.Equal("cached", second.Note);
        Assert.Equal(first.Results.Select(r => r.Title), second.Results.Select(r => r.Title));
        Assert.DoesNotContain(SearchKey, logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PastTheDailyRequestCapSearchesUseTheOfflineCorpus()
    {
        using var server = Start((_, _) => Wire.Brave(("A result", "https://example.org/a", "Text.")));
        await using var society = await StartAsync(server, new CapturedLogs(), cap: 1);
        var search = society.Services.GetRequiredService<ISearchProvider>();

        await search.AnswerAsync("tea ceremonies", 3, CancellationToken.None);
        var capped = await search.AnswerAsync("write-ahead logging", 3, CancellationToken.None);

        Assert.Single(server.Requests);
        Assert.Equal("offline-corpus", capped.Provider);
        Assert.Contains("daily web search cap (1 requests) is reached", capped.Note, StringComparison.Ordinal);
        Assert.NotEmpty(capped.Results);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(401)]
    [InlineData(429)]
    public async Task AFailingApiFallsBackToTheOfflineCorpus(int status)
    {
        using var server = Start((_, _) => new Reply(status, """{"type":"ErrorResponse","error":{"detail":"nope"}}"""));
        await using var society = await StartAsync(server, new CapturedLogs());

        var answer = await society.Services.GetRequiredService<ISearchProvider>().AnswerAsync("write-ahead logging", 3, CancellationToken.None);

        Assert.Equal("offline-corpus", answer.Provider);
        Assert.Contains($"HTTP {status}", answer.Note, StringComparison.Ordinal);
        Assert.NotEmpty(answer.Results);
    }

    [Fact]
    public async Task WithoutAKeyTheOfflineCorpusAnswers()
    {
        await using var society = await ProviderSociety.StartAsync(null, new CapturedLogs(), new Dictionary<string, string?> { ["Search:Provider"] = "brave" });

        var answer = await society.Services.GetRequiredService<ISearchProvider>().AnswerAsync("write-ahead logging", 3, CancellationToken.None);

        Assert.Equal("offline-corpus", answer.Provider);
        Assert.Contains("Search:ApiKey is not set", answer.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASearchActionRecordsTheWebResultsAndRemembersThem()
    {
        using var models = Start((_, _) => Wire.OpenAI("""{"action":"search","query":"dark sky reserves"}"""));
        using var web = Start((_, _) => Wire.Brave(("Dark-sky reserves of Europe", "https://example.org/dark-sky", "Where the Milky Way is still visible.")));
        await using var society = await StartAsync(web, new CapturedLogs(), models: models);
        var id = await society.UseModelAsync("Ada", new ModelSection("openai", "gpt-4o-mini", 0.5, 200));

        await society.TickNowAsync();

        var row = Assert.Single(await society.ActivityAsync(id));
        Assert.Equal(ActivityActions.Search, row.Action);
        Assert.Equal(BraveWebSearch.ProviderName, (string?)row.Details()["search_provider"]);
        Assert.Equal("https://example.org/dark-sky", (string?)row.Details()["results"]![0]!["source"]);
        await using var db = society.Db();
        Assert.Contains(db.WarmMemories.Where(m => m.BotId == id).Select(m => m.Source), s => s == "https://example.org/dark-sky");
    }

    private static Task<TestSociety> StartAsync(FakeHttpServer web, CapturedLogs logs, int cap = 100, FakeHttpServer? models = null) =>
        ProviderSociety.StartAsync(models, logs, new Dictionary<string, string?>
        {
            ["Search:Provider"] = "brave",
            ["Search:ApiKey"] = SearchKey,
            ["Search:Endpoint"] = $"{web.Url}/res/v1/web/search",
            ["Search:DailyRequestCap"] = cap.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
}
