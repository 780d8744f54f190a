using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace BotSociety.Functions.Tests;

/// <summary>
/// The operator's writes over HTTP: pause and resume a bot, the society's pace, a bot's daily caps, and every way
/// a request can be wrong. Each test uses its own bot and leaves the pace as it found it, so order does not matter.
/// </summary>
public sealed class ControlApiTests(PopulatedSociety society) : IClassFixture<PopulatedSociety>
{
    private const int PausedBot = 1;
    private const int CappedBot = 2;
    private const int UntouchedBot = 3;

    [Fact]
    public async Task PausedBotShowsPausedAndSkipsHeartbeatsUntilResumed()
    {
        await SetPaceAsync("normal");

        using (var paused = await SendJsonAsync(HttpMethod.Post, $"/api/bots/{PausedBot}/pause", null, HttpStatusCode.OK))
        {
            Assert.Equal("paused", paused.RootElement.GetProperty("status").GetString());
        }

        using (var again = await SendJsonAsync(HttpMethod.Post, $"/api/bots/{PausedBot}/pause", null, HttpStatusCode.OK))
        {
            Assert.Equal("paused", again.RootElement.GetProperty("status").GetString());
        }

        using (var shown = await society.GetJsonAsync($"/api/bots/{PausedBot}"))
        {
            Assert.Equal("paused", shown.RootElement.GetProperty("status").GetString());
        }

        var before = await ActivityCountAsync(PausedBot);
        var othersBefore = await ActivityCountAsync(null);
        await society.MakeEveryBotDueAsync();
        await society.RunAsync("Heartbeat");
        Assert.Equal(before, await ActivityCountAsync(PausedBot));
        Assert.True(await ActivityCountAsync(null) > othersBefore, "the other bots acted on that tick");

        using (var resumed = await SendJsonAsync(HttpMethod.Post, $"/api/bots/{PausedBot}/resume", null, HttpStatusCode.OK))
        {
            Assert.Equal("active", resumed.RootElement.GetProperty("status").GetString());
            Assert.True(resumed.RootElement.GetProperty("next_heartbeat_at").GetDateTime() <= TimeProvider.System.GetUtcNow().UtcDateTime);
        }

        // Resuming makes the bot due now: the very next tick has it act, with no help from the test.
        await society.RunAsync("Heartbeat");
        Assert.True(await ActivityCountAsync(PausedBot) > before, "the resumed bot acted on the next tick");
        using var active = await society.GetJsonAsync($"/api/bots/{PausedBot}");
        Assert.Equal("active", active.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task PutPaceChangesGetPace()
    {
        await SetPaceAsync("normal");
        using (var set = await SendJsonAsync(HttpMethod.Put, "/api/pace", """{"pace": "fast"}""", HttpStatusCode.OK))
        {
            Assert.Equal("fast", set.RootElement.GetProperty("pace").GetString());
            Assert.Equal(15, set.RootElement.GetProperty("interval_seconds").GetInt32());
        }

        using (var read = await society.GetJsonAsync("/api/pace"))
        {
            var root = read.RootElement;
            Assert.Equal("fast", root.GetProperty("pace").GetString());
            Assert.Equal(15, root.GetProperty("interval_seconds").GetInt32());
            Assert.Equal(
                ["paused:0", "slow:300", "normal:60", "fast:15"],
                root.GetProperty("paces").EnumerateArray().Select(p => $"{p.GetProperty("name").GetString()}:{p.GetProperty("interval_seconds").GetInt32()}"));
            Assert.True(root.GetProperty("updated_at").GetDateTime() > TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(-5));
        }

        await SetPaceAsync("normal");
        using var back = await society.GetJsonAsync("/api/pace");
        Assert.Equal("normal", back.RootElement.GetProperty("pace").GetString());
    }

    [Fact]
    public async Task CostCapIsShownAsCustomAndResetsToDefaultWithNulls()
    {
        using (var set = await SendJsonAsync(
            HttpMethod.Put, $"/api/bots/{CappedBot}/cost-cap", """{"daily_token_cap": 50000, "daily_cost_cap_usd": 0.25}""", HttpStatusCode.OK))
        {
            Assert.Equal(50_000, set.RootElement.GetProperty("daily_token_cap").GetProperty("value").GetInt64());
            Assert.Equal("custom", set.RootElement.GetProperty("daily_token_cap").GetProperty("source").GetString());
            Assert.Equal(0.25, set.RootElement.GetProperty("daily_cost_cap_usd").GetProperty("value").GetDouble());
            Assert.Equal("custom", set.RootElement.GetProperty("daily_cost_cap_usd").GetProperty("source").GetString());
        }

        using (var shown = await society.GetJsonAsync($"/api/bots/{CappedBot}"))
        {
            var usage = shown.RootElement.GetProperty("usage");
            Assert.Equal(50_000, usage.GetProperty("daily_token_cap").GetInt64());
            Assert.Equal("custom", usage.GetProperty("daily_token_cap_source").GetString());
            Assert.Equal(0.25, usage.GetProperty("daily_cost_cap_usd").GetDouble());
            Assert.Equal("custom", usage.GetProperty("daily_cost_cap_source").GetString());
        }

        using (var reset = await SendJsonAsync(
            HttpMethod.Put, $"/api/bots/{CappedBot}/cost-cap", """{"daily_token_cap": null, "daily_cost_cap_usd": null}""", HttpStatusCode.OK))
        {
            Assert.Equal("default", reset.RootElement.GetProperty("daily_token_cap").GetProperty("source").GetString());
            Assert.Equal("default", reset.RootElement.GetProperty("daily_cost_cap_usd").GetProperty("source").GetString());
        }

        using var after = await society.GetJsonAsync($"/api/bots/{CappedBot}");
        var defaults = after.RootElement.GetProperty("usage");
        Assert.Equal(100_000, defaults.GetProperty("daily_token_cap").GetInt64());
        Assert.Equal("default", defaults.GetProperty("daily_token_cap_source").GetString());
        Assert.Equal(1.0, defaults.GetProperty("daily_cost_cap_usd").GetDouble());
        Assert.Equal("default", defaults.GetProperty("daily_cost_cap_source").GetString());

        // Both changes are in the bot's config history, newest first, each with the caps before and after.
        using var history = await society.GetJsonAsync($"/api/bots/{CappedBot}/config/history?limit=2");
        var changes = history.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.All(changes, c => Assert.Equal("cost_cap", c.GetProperty("kind").GetString()));
        Assert.All(changes, c => Assert.Equal(
            ["costs.daily_token_cap", "costs.daily_cost_cap_usd"], c.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!)));
        var (resetChange, setChange) = (changes[0], changes[1]);
        Assert.Equal(100_000, Cap(setChange.GetProperty("before"), "daily_token_cap").GetProperty("value").GetInt64());
        Assert.Equal("default", Cap(setChange.GetProperty("before"), "daily_token_cap").GetProperty("source").GetString());
        Assert.Equal(50_000, Cap(setChange.GetProperty("after"), "daily_token_cap").GetProperty("value").GetInt64());
        Assert.Equal(0.25, Cap(setChange.GetProperty("after"), "daily_cost_cap_usd").GetProperty("value").GetDouble());
        Assert.Equal("custom", Cap(resetChange.GetProperty("before"), "daily_cost_cap_usd").GetProperty("source").GetString());
        Assert.Equal("default", Cap(resetChange.GetProperty("after"), "daily_cost_cap_usd").GetProperty("source").GetString());

        static JsonElement Cap(JsonElement sections, string name) => sections.GetProperty("costs").GetProperty(name);
    }

    [Fact]
    public async Task UnknownBotIsNotFoundForEveryWrite()
    {
        await SendProblemAsync(HttpMethod.Post, "/api/bots/999/pause", null, HttpStatusCode.NotFound);
        await SendProblemAsync(HttpMethod.Post, "/api/bots/999/resume", null, HttpStatusCode.NotFound);
        await SendProblemAsync(HttpMethod.Put, "/api/bots/999/cost-cap", """{"daily_token_cap": 5, "daily_cost_cap_usd": 1}""", HttpStatusCode.NotFound);
        using var problem = await SendProblemAsync(HttpMethod.Post, "/api/bots/ada/pause", null, HttpStatusCode.BadRequest);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("bot_id", out _));
    }

    [Theory]
    [InlineData("""{"pace": "warp"}""", "pace")]
    [InlineData("""{"pace": 3}""", "pace")]
    [InlineData("""{}""", "pace")]
    [InlineData("""{"pace": "fast", "speed": 2}""", "speed")]
    [InlineData("""{"pace": "fast" """, "body")]
    [InlineData("""["fast"]""", "body")]
    [InlineData("", "body")]
    public async Task BadPaceNamesItsFieldAndChangesNothing(string body, string field)
    {
        using var before = await society.GetJsonAsync("/api/pace");

        using var problem = await SendProblemAsync(HttpMethod.Put, "/api/pace", body, HttpStatusCode.BadRequest);

        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
        using var after = await society.GetJsonAsync("/api/pace");
        Assert.Equal(before.RootElement.ToString(), after.RootElement.ToString());
    }

    [Theory]
    [InlineData("""{"daily_token_cap": -5, "daily_cost_cap_usd": 1}""", "daily_token_cap")]
    [InlineData("""{"daily_token_cap": 0, "daily_cost_cap_usd": 1}""", "daily_token_cap")]
    [InlineData("""{"daily_token_cap": 10.5, "daily_cost_cap_usd": 1}""", "daily_token_cap")]
    [InlineData("""{"daily_token_cap": "5000", "daily_cost_cap_usd": 1}""", "daily_token_cap")]
    [InlineData("""{"daily_token_cap": 5000, "daily_cost_cap_usd": -0.5}""", "daily_cost_cap_usd")]
    [InlineData("""{"daily_token_cap": 5000, "daily_cost_cap_usd": true}""", "daily_cost_cap_usd")]
    [InlineData("""{"daily_token_cap": 5000}""", "daily_cost_cap_usd")]
    [InlineData("""{"daily_cost_cap_usd": 1}""", "daily_token_cap")]
    [InlineData("""{"daily_token_cap": 5000, "daily_cost_cap_usd": 1, "cap": 2}""", "cap")]
    [InlineData("""{"daily_token_cap": 5000,""", "body")]
    public async Task BadCostCapNamesItsFieldAndChangesNothing(string body, string field)
    {
        using var before = await society.GetJsonAsync($"/api/bots/{UntouchedBot}");

        using var problem = await SendProblemAsync(HttpMethod.Put, $"/api/bots/{UntouchedBot}/cost-cap", body, HttpStatusCode.BadRequest);

        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
        Assert.Contains(field, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var after = await society.GetJsonAsync($"/api/bots/{UntouchedBot}");
        var usage = after.RootElement.GetProperty("usage");
        Assert.Equal(before.RootElement.GetProperty("usage").GetProperty("daily_token_cap").GetInt64(), usage.GetProperty("daily_token_cap").GetInt64());
        Assert.Equal("default", usage.GetProperty("daily_token_cap_source").GetString());
        Assert.Equal("default", usage.GetProperty("daily_cost_cap_source").GetString());
    }

    private async Task SetPaceAsync(string pace)
    {
        using var set = await SendJsonAsync(HttpMethod.Put, "/api/pace", $$"""{"pace": "{{pace}}"}""", HttpStatusCode.OK);
        Assert.Equal(pace, set.RootElement.GetProperty("pace").GetString());
    }

    private async Task<int> ActivityCountAsync(int? bot)
    {
        using var page = await society.GetJsonAsync(bot is null ? "/api/activity?limit=1" : $"/api/activity?limit=1&bot={bot}");
        return page.RootElement.GetProperty("total").GetInt32();
    }

    [Theory]
    [InlineData("cross-site", "https://evil.example")]
    [InlineData(null, "https://evil.example")]
    [InlineData("same-site", "http://localhost:1")]
    public async Task AWriteABrowserSendsForAnotherSiteIs403AndChangesNothing(string? fetchSite, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/bots/{UntouchedBot}/pause", UriKind.Relative));
        request.Headers.Add("Origin", origin);
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        using var problem = await ProblemOfAsync(request, HttpStatusCode.Forbidden);

        Assert.Contains(origin, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var bot = await society.GetJsonAsync($"/api/bots/{UntouchedBot}");
        Assert.Equal("active", bot.RootElement.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("same-origin", true)]
    [InlineData(null, true)]
    [InlineData(null, false)]
    public async Task TheAppsOwnPagesAndClientsThatAreNotBrowsersMayWrite(string? fetchSite, bool sendOrigin)
    {
        await SetPaceAsync("normal");
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/pace", UriKind.Relative))
        {
            Content = new StringContent("""{"pace": "normal"}""", Encoding.UTF8, "application/json"),
        };
        if (sendOrigin)
        {
            // The dashboard's own origin: the address devhost serves it at.
            request.Headers.Add("Origin", society.Http.BaseAddress!.GetLeftPart(UriPartial.Authority));
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        using var response = await society.Http.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("""{"pace": "\ud800"}""", "pace", "/api/pace")]
    [InlineData("""{"\udfff": "fast"}""", "body", "/api/pace")]
    [InlineData("""{"daily_token_cap": 5000, "daily_cost_cap_usd": null, "\ud800x": 1}""", "body", "/api/bots/3/cost-cap")]
    public async Task ALoneSurrogateIsNamedAndChangesNothing(string body, string field, string path)
    {
        await SetPaceAsync("normal");
        using var capBefore = await society.GetJsonAsync($"/api/bots/{UntouchedBot}");

        using var problem = await SendProblemAsync(HttpMethod.Put, path, body, HttpStatusCode.BadRequest);

        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
        using var pace = await society.GetJsonAsync("/api/pace");
        Assert.Equal("normal", pace.RootElement.GetProperty("pace").GetString());
        using var capAfter = await society.GetJsonAsync($"/api/bots/{UntouchedBot}");
        Assert.Equal(capBefore.RootElement.GetProperty("usage").ToString(), capAfter.RootElement.GetProperty("usage").ToString());
    }

    [Fact]
    public async Task APaceThatIsNotUtf8IsNamedAndChangesNothing()
    {
        await SetPaceAsync("normal");
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/pace", UriKind.Relative))
        {
            Content = new ByteArrayContent([.. "{\"pace\": \"fa"u8, 0xFE, .. "st\"}"u8]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var problem = await ProblemOfAsync(request, HttpStatusCode.BadRequest);

        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("pace", out _), problem.RootElement.ToString());
        using var pace = await society.GetJsonAsync("/api/pace");
        Assert.Equal("normal", pace.RootElement.GetProperty("pace").GetString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task AWriteWhoseBodyIsNotJsonIs415AndChangesNothing(string? contentType)
    {
        await SetPaceAsync("normal");
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/pace", UriKind.Relative))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"pace": "fast"}""")),
        };
        request.Content.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);

        using var problem = await ProblemOfAsync(request, HttpStatusCode.UnsupportedMediaType);

        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("Content-Type", out _), problem.RootElement.ToString());
        using var pace = await society.GetJsonAsync("/api/pace");
        Assert.Equal("normal", pace.RootElement.GetProperty("pace").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ABodyOverOneMebibyteIs413AndChangesNothing(bool withLength)
    {
        await SetPaceAsync("normal");
        // Valid JSON that would set the pace, padded with spaces past 1 MiB: only the size refuses it.
        var body = Encoding.UTF8.GetBytes("{\"pace\": \"fast\"" + new string(' ', 2 * 1024 * 1024) + "}");
        HttpContent content = withLength ? new ByteArrayContent(body) : new StreamContent(new UnseekableStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/pace", UriKind.Relative)) { Content = content };

        using var problem = await ProblemOfAsync(request, HttpStatusCode.RequestEntityTooLarge);

        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("body", out _), problem.RootElement.ToString());
        using var pace = await society.GetJsonAsync("/api/pace");
        Assert.Equal("normal", pace.RootElement.GetProperty("pace").GetString());
    }

    [Fact]
    public async Task AJsonBodyWithACharsetOrAJsonSuffixIsAccepted()
    {
        await SetPaceAsync("normal");
        foreach (var type in (string[])["application/json; charset=utf-8", "application/merge-patch+json"])
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/pace", UriKind.Relative))
            {
                Content = new StringContent("""{"pace": "normal"}""", Encoding.UTF8, MediaTypeHeaderValue.Parse(type)),
            };
            using var response = await society.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{type}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private async Task<JsonDocument> ProblemOfAsync(HttpRequestMessage request, HttpStatusCode status)
    {
        using var response = await society.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{request.Method} {request.RequestUri} answered {response.StatusCode}, not {status}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>A body of unknown length: HttpClient sends it chunked, with no Content-Length.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    private async Task<(HttpResponseMessage Response, string Text)> SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        var response = await society.Http.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonDocument> SendJsonAsync(HttpMethod method, string path, string? json, HttpStatusCode status)
    {
        var (response, text) = await SendAsync(method, path, json);
        using (response)
        {
            Assert.True(response.StatusCode == status, $"{method} {path} answered {response.StatusCode}: {text}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            return JsonDocument.Parse(text);
        }
    }

    private async Task<JsonDocument> SendProblemAsync(HttpMethod method, string path, string? json, HttpStatusCode status)
    {
        var (response, text) = await SendAsync(method, path, json);
        using (response)
        {
            Assert.True(response.StatusCode == status, $"{method} {path} answered {response.StatusCode}, not {status}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(text);
            Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
            return problem;
        }
    }
}
