using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace BotSociety.Functions.Tests;

/// <summary>
/// The config panel's API over HTTP: read with an ETag, partial update, history, reset to the persona file,
/// stale If-Match, and every way a request can be wrong. Each test uses its own bot, so order does not matter.
/// </summary>
public sealed class ConfigApiTests(PopulatedSociety society) : IClassFixture<PopulatedSociety>
{
    private const int ReadBot = 1;
    private const int UpdatedBot = 2;
    private const int ResetBot = 3;
    private const int ContestedBot = 4;
    private const int UntouchedBot = 5;

    [Fact]
    public async Task GetConfigShowsTheWholeConfigWithItsVersionAsETag()
    {
        var (response, text) = await SendAsync(HttpMethod.Get, $"/api/bots/{ReadBot}/config", null);
        using (response)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            using var config = JsonDocument.Parse(text);
            var root = config.RootElement;
            Assert.Equal(ReadBot, root.GetProperty("bot_id").GetInt32());
            Assert.Equal("Ada", root.GetProperty("bot_name").GetString());
            Assert.Equal("ada", root.GetProperty("defaults_persona").GetString());
            Assert.True(root.GetProperty("simulated").GetBoolean());
            Assert.Equal(65, root.GetProperty("behavior").GetProperty("skepticism").GetInt32());
            Assert.Equal("academic", root.GetProperty("personality").GetProperty("communication_style").GetString());
            Assert.Equal("offline", root.GetProperty("model").GetProperty("provider").GetString());
            Assert.Equal(0.5, root.GetProperty("model").GetProperty("temperature").GetDouble());
            Assert.Equal($"\"{root.GetProperty("version").GetInt32()}\"", response.Headers.ETag?.Tag);
        }
    }

    [Fact]
    public async Task PartialPutChangesOnlyThatFieldAndHistoryShowsBeforeAndAfter()
    {
        using var before = await society.GetJsonAsync($"/api/bots/{UpdatedBot}/config");
        var version = before.RootElement.GetProperty("version").GetInt32();
        var skepticism = before.RootElement.GetProperty("behavior").GetProperty("skepticism").GetInt32();
        var wanted = skepticism == 80 ? 81 : 80;

        var (response, text) = await SendAsync(HttpMethod.Put, $"/api/bots/{UpdatedBot}/config", $$"""{"behavior": {"skepticism": {{wanted}} } }""", $"\"{version}\"");
        using (response)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            Assert.Equal($"\"{version + 1}\"", response.Headers.ETag?.Tag);
        }

        using (var after = await society.GetJsonAsync($"/api/bots/{UpdatedBot}/config"))
        {
            var root = after.RootElement;
            Assert.Equal(version + 1, root.GetProperty("version").GetInt32());
            Assert.Equal(wanted, root.GetProperty("behavior").GetProperty("skepticism").GetInt32());
            Assert.Equal(before.RootElement.GetProperty("personality").ToString(), root.GetProperty("personality").ToString());
            Assert.Equal(before.RootElement.GetProperty("model").ToString(), root.GetProperty("model").ToString());
            foreach (var member in before.RootElement.GetProperty("behavior").EnumerateObject().Where(m => m.Name != "skepticism"))
            {
                Assert.Equal(member.Value.ToString(), root.GetProperty("behavior").GetProperty(member.Name).ToString());
            }
        }

        using (var history = await society.GetJsonAsync($"/api/bots/{UpdatedBot}/config/history"))
        {
            Assert.Equal(1, history.RootElement.GetProperty("total").GetInt32());
            var item = Assert.Single(history.RootElement.GetProperty("items").EnumerateArray());
            Assert.Equal("update", item.GetProperty("kind").GetString());
            Assert.Equal(["behavior.skepticism"], item.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
            Assert.Equal(skepticism, item.GetProperty("before").GetProperty("behavior").GetProperty("skepticism").GetInt32());
            Assert.Equal(wanted, item.GetProperty("after").GetProperty("behavior").GetProperty("skepticism").GetInt32());
            Assert.False(item.GetProperty("after").TryGetProperty("personality", out _), "only the changed section is kept");
            Assert.True(item.GetProperty("changed_at").GetDateTime() > TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(-5));
        }

        // The same value again changes nothing: 200, the same version, no history.
        using (var same = await SendJsonAsync(HttpMethod.Put, $"/api/bots/{UpdatedBot}/config", $$"""{"behavior": {"skepticism": {{wanted}} } }""", HttpStatusCode.OK))
        {
            Assert.Equal(version + 1, same.RootElement.GetProperty("version").GetInt32());
        }

        using var unchanged = await society.GetJsonAsync($"/api/bots/{UpdatedBot}/config/history?limit=5&offset=0");
        Assert.Equal(1, unchanged.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(5, unchanged.RootElement.GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task ResetRestoresThePersonaFileAndAddsAResetHistoryRow()
    {
        using var original = await society.GetJsonAsync($"/api/bots/{ResetBot}/config");
        var version = original.RootElement.GetProperty("version").GetInt32();
        const string Edit = """{"personality": {"communication_style": "terse", "interests": ["knots"]}, "behavior": {"shyness": 99}, "model": {"temperature": 0.05}}""";
        using (var edited = await SendJsonAsync(HttpMethod.Put, $"/api/bots/{ResetBot}/config", Edit, HttpStatusCode.OK))
        {
            Assert.Equal("terse", edited.RootElement.GetProperty("personality").GetProperty("communication_style").GetString());
            Assert.Equal(99, edited.RootElement.GetProperty("behavior").GetProperty("shyness").GetInt32());
        }

        using (var reset = await SendJsonAsync(HttpMethod.Post, $"/api/bots/{ResetBot}/config/reset", null, HttpStatusCode.OK))
        {
            Assert.Equal(version + 2, reset.RootElement.GetProperty("version").GetInt32());
        }

        using (var restored = await society.GetJsonAsync($"/api/bots/{ResetBot}/config"))
        {
            foreach (var section in new[] { "personality", "behavior", "model" })
            {
                Assert.Equal(original.RootElement.GetProperty(section).ToString(), restored.RootElement.GetProperty(section).ToString());
            }
        }

        using var history = await society.GetJsonAsync($"/api/bots/{ResetBot}/config/history");
        var items = history.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["reset", "update"], items.Select(i => i.GetProperty("kind").GetString()));
        Assert.Equal(
            ["personality.communication_style", "personality.interests", "behavior.shyness", "model.temperature"],
            items[0].GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(99, items[0].GetProperty("before").GetProperty("behavior").GetProperty("shyness").GetInt32());
        Assert.Equal(
            original.RootElement.GetProperty("behavior").GetProperty("shyness").GetInt32(),
            items[0].GetProperty("after").GetProperty("behavior").GetProperty("shyness").GetInt32());

        // A reset of a config already at its defaults changes nothing.
        await SendJsonAsync(HttpMethod.Post, $"/api/bots/{ResetBot}/config/reset", null, HttpStatusCode.OK);
        using var after = await society.GetJsonAsync($"/api/bots/{ResetBot}/config/history");
        Assert.Equal(2, after.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task StaleIfMatchIsPreconditionFailedAndChangesNothing()
    {
        using var first = await society.GetJsonAsync($"/api/bots/{ContestedBot}/config");
        var version = first.RootElement.GetProperty("version").GetInt32();
        var aggression = first.RootElement.GetProperty("behavior").GetProperty("aggression").GetInt32();
        var theirs = aggression == 50 ? 51 : 50;
        var mine = aggression == 10 ? 11 : 10;

        // Someone else saves first, from the same version.
        await SendJsonAsync(HttpMethod.Put, $"/api/bots/{ContestedBot}/config", $$"""{"behavior": {"aggression": {{theirs}} } }""", HttpStatusCode.OK, $"\"{version}\"");

        using (var stale = await SendProblemAsync(
            HttpMethod.Put, $"/api/bots/{ContestedBot}/config", $$"""{"behavior": {"aggression": {{mine}} } }""", HttpStatusCode.PreconditionFailed, $"\"{version}\""))
        {
            Assert.Contains("Someone else changed", stale.RootElement.GetProperty("title").GetString(), StringComparison.Ordinal);
            Assert.Equal(version + 1, stale.RootElement.GetProperty("current_version").GetInt32());
        }

        await SendProblemAsync(HttpMethod.Post, $"/api/bots/{ContestedBot}/config/reset", null, HttpStatusCode.PreconditionFailed, $"\"{version}\"");

        using var now = await society.GetJsonAsync($"/api/bots/{ContestedBot}/config");
        Assert.Equal(version + 1, now.RootElement.GetProperty("version").GetInt32());
        Assert.Equal(theirs, now.RootElement.GetProperty("behavior").GetProperty("aggression").GetInt32());
        using var history = await society.GetJsonAsync($"/api/bots/{ContestedBot}/config/history");
        Assert.Equal(1, history.RootElement.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("""{"behavior": {"skepticism": 140}}""", "behavior.skepticism")]
    [InlineData("""{"behavior": {"shyness": -1}}""", "behavior.shyness")]
    [InlineData("""{"model": {"temperature": 1.5}}""", "model.temperature")]
    [InlineData("""{"model": {"max_tokens": 100000}}""", "model.max_tokens")]
    [InlineData("""{"model": {"provider": "anthropic"}}""", "model.provider")]
    [InlineData("""{"behavior": {"engagement_style": "loud"}}""", "behavior.engagement_style")]
    [InlineData("""{"personality": {"communication_style": "shouty"}}""", "personality.communication_style")]
    [InlineData("""{"behavior": {"mood": 5}}""", "behavior.mood")]
    [InlineData("""{"mood": {"happy": true}}""", "mood")]
    [InlineData("""{"behavior": {"skepticism": "high"}}""", "behavior.skepticism")]
    [InlineData("""{"behavior": {"skepticism": 70.5}}""", "behavior.skepticism")]
    [InlineData("""{"model": {"temperature": "0.5"}}""", "model.temperature")]
    [InlineData("""{"personality": {"interests": "tea"}}""", "personality.interests")]
    [InlineData("""{"personality": {"interests": ["tea", 3]}}""", "personality.interests[1]")]
    [InlineData("""{"behavior": 5}""", "behavior")]
    [InlineData("""{"behavior": {"skepticism": 80}""", "body")]
    [InlineData("""[1]""", "body")]
    [InlineData("", "body")]
    [InlineData("""{"personality": {"bio": "a \ud800 b"}}""", "personality.bio")]
    [InlineData("""{"personality": {"catchphrase": "\udc00"}}""", "personality.catchphrase")]
    [InlineData("""{"personality": {"interests": ["tea", "\ud83d"]}}""", "personality.interests[1]")]
    [InlineData("""{"personality": {"\ud800": "x"}}""", "personality")]
    public async Task BadConfigNamesItsFieldAndChangesNothing(string body, string field)
    {
        using var before = await society.GetJsonAsync($"/api/bots/{UntouchedBot}/config");

        using var problem = await SendProblemAsync(HttpMethod.Put, $"/api/bots/{UntouchedBot}/config", body, HttpStatusCode.BadRequest);

        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
        Assert.Contains(field, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertUntouchedAsync(before);
    }

    [Fact]
    public async Task BytesThatAreNotUtf8AreNamedAndNothingIsStored()
    {
        using var before = await society.GetJsonAsync($"/api/bots/{UntouchedBot}/config");
        byte[] body = [.. "{\"personality\": {\"bio\": \"caf"u8, 0xC3, 0x28, 0xFF, .. "\"}}"u8];
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"/api/bots/{UntouchedBot}/config", UriKind.Relative))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await society.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("personality.bio", out _), text);
        await AssertUntouchedAsync(before);
    }

    [Fact]
    public async Task EveryBadFieldOfOneRequestIsNamed()
    {
        using var before = await society.GetJsonAsync($"/api/bots/{UntouchedBot}/config");
        const string Body = """{"behavior": {"skepticism": 140, "aggression": "x"}, "model": {"temperature": 1.5, "provider": "acme"}, "extra": 1}""";

        using var problem = await SendProblemAsync(HttpMethod.Put, $"/api/bots/{UntouchedBot}/config", Body, HttpStatusCode.BadRequest);

        Assert.Equal(
            ["behavior.aggression", "behavior.skepticism", "extra", "model.provider", "model.temperature"],
            problem.RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        await AssertUntouchedAsync(before);
    }

    [Fact]
    public async Task UnknownBotIsNotFoundAndABadIdOrIfMatchIsNamed()
    {
        await society.GetProblemAsync("/api/bots/999/config", HttpStatusCode.NotFound);
        await society.GetProblemAsync("/api/bots/999/config/history", HttpStatusCode.NotFound);
        await SendProblemAsync(HttpMethod.Put, "/api/bots/999/config", """{"behavior": {"skepticism": 80}}""", HttpStatusCode.NotFound);
        await SendProblemAsync(HttpMethod.Post, "/api/bots/999/config/reset", null, HttpStatusCode.NotFound);
        using (var badId = await society.GetProblemAsync("/api/bots/ada/config", HttpStatusCode.BadRequest))
        {
            Assert.True(badId.RootElement.GetProperty("errors").TryGetProperty("bot_id", out _));
        }

        using (var badPaging = await society.GetProblemAsync($"/api/bots/{UntouchedBot}/config/history?limit=0", HttpStatusCode.BadRequest))
        {
            Assert.True(badPaging.RootElement.GetProperty("errors").TryGetProperty("limit", out _));
        }

        using var before = await society.GetJsonAsync($"/api/bots/{UntouchedBot}/config");
        using var badIfMatch = await SendProblemAsync(
            HttpMethod.Put, $"/api/bots/{UntouchedBot}/config", """{"behavior": {"skepticism": 3}}""", HttpStatusCode.BadRequest, "\"v1\"");
        Assert.True(badIfMatch.RootElement.GetProperty("errors").TryGetProperty("If-Match", out _), badIfMatch.RootElement.ToString());
        await AssertUntouchedAsync(before);
    }

    private async Task AssertUntouchedAsync(JsonDocument before)
    {
        using var after = await society.GetJsonAsync($"/api/bots/{UntouchedBot}/config");
        Assert.Equal(before.RootElement.ToString(), after.RootElement.ToString());
        using var history = await society.GetJsonAsync($"/api/bots/{UntouchedBot}/config/history");
        Assert.Equal(0, history.RootElement.GetProperty("total").GetInt32());
    }

    private Task<(HttpResponseMessage Response, string Text)> SendAsync(HttpMethod method, string path, string? json, string? ifMatch = null) =>
        society.SendAsync(method, path, json, ifMatch);

    private async Task<JsonDocument> SendJsonAsync(HttpMethod method, string path, string? json, HttpStatusCode status, string? ifMatch = null)
    {
        var (response, text) = await SendAsync(method, path, json, ifMatch);
        using (response)
        {
            Assert.True(response.StatusCode == status, $"{method} {path} answered {response.StatusCode}: {text}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            return JsonDocument.Parse(text);
        }
    }

    private async Task<JsonDocument> SendProblemAsync(HttpMethod method, string path, string? json, HttpStatusCode status, string? ifMatch = null)
    {
        var (response, text) = await SendAsync(method, path, json, ifMatch);
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
