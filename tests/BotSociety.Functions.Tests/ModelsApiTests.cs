using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace BotSociety.Functions.Tests;

/// <summary>
/// GET /api/models as the config panel's dropdowns read it, and the config API's refusal of a provider without a key,
/// over HTTP against the worker as devhost runs it (with no model keys set, as a fresh checkout runs).
/// </summary>
public sealed class ModelsApiTests(PopulatedSociety society) : IClassFixture<PopulatedSociety>
{
    [Fact]
    public async Task ModelsListEveryProviderWithPricesAndWhetherAKeyIsSetButNeverAKey()
    {
        using var models = await society.GetJsonAsync("/api/models");

        var providers = models.RootElement.GetProperty("providers").EnumerateArray().ToList();
        Assert.Equal(["offline", "anthropic", "openai", "ollama"], providers.Select(p => p.GetProperty("id").GetString()));
        var offline = providers[0];
        Assert.True(offline.GetProperty("simulated").GetBoolean());
        Assert.True(offline.GetProperty("available").GetBoolean());
        Assert.Equal("offline-simulator", offline.GetProperty("models")[0].GetProperty("id").GetString());
        Assert.Equal(0, offline.GetProperty("models")[0].GetProperty("input_per_million_usd").GetDouble());

        var anthropic = providers[1];
        Assert.False(anthropic.GetProperty("key_configured").GetBoolean());
        Assert.False(anthropic.GetProperty("available").GetBoolean());
        Assert.Contains("model.provider 'anthropic' has no key", anthropic.GetProperty("unavailable_reason").GetString(), StringComparison.Ordinal);
        var sonnet = anthropic.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "claude-sonnet-4-5");
        Assert.True(sonnet.GetProperty("price_known").GetBoolean());
        Assert.Equal(3.0, sonnet.GetProperty("input_per_million_usd").GetDouble());
        Assert.Equal(15.0, sonnet.GetProperty("output_per_million_usd").GetDouble());
        Assert.StartsWith("https://", sonnet.GetProperty("price_source").GetString(), StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", sonnet.GetProperty("price_effective_date").GetString());

        var ollama = providers[3];
        Assert.True(ollama.GetProperty("local").GetBoolean());
        Assert.True(ollama.GetProperty("available").GetBoolean());
        Assert.All(providers, p => Assert.DoesNotContain(p.EnumerateObject(), member => member.Name is "api_key" or "key"));
    }

    [Fact]
    public async Task ChoosingAProviderWithNoKeyIsAProblemNamingModelProvider()
    {
        var (status, text) = await PutConfigAsync(5, """{"model": {"provider": "anthropic", "model": "claude-sonnet-4-5"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        using var problem = JsonDocument.Parse(text);
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Contains("has no key", errors.GetProperty("model.provider")[0].GetString(), StringComparison.Ordinal);
        using var config = await society.GetJsonAsync("/api/bots/5/config");
        Assert.Equal("offline", config.RootElement.GetProperty("model").GetProperty("provider").GetString());
    }

    [Fact]
    public async Task AFallbackModelCanBeSetAndTheBotShowsItsBudgetAndPauseReason()
    {
        var (status, text) = await PutConfigAsync(6, """{"model": {"fallback_model": "offline-simulator"}}""");
        Assert.True(status == HttpStatusCode.OK, text);

        using var config = await society.GetJsonAsync("/api/bots/6/config");
        Assert.Equal("offline-simulator", config.RootElement.GetProperty("model").GetProperty("fallback_model").GetString());
        using var bot = await society.GetJsonAsync("/api/bots/6");
        Assert.Equal("ok", bot.RootElement.GetProperty("budget").GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, bot.RootElement.GetProperty("paused_reason").ValueKind);
        Assert.Equal(0, bot.RootElement.GetProperty("usage").GetProperty("unpriced_calls").GetInt32());
    }

    private async Task<(HttpStatusCode Status, string Text)> PutConfigAsync(int botId, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"/api/bots/{botId}/config", UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        using var response = await society.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
