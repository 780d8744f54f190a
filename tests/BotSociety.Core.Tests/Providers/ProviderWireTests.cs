using BotSociety.Core.Bots;
using BotSociety.Core.Simulation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static BotSociety.Core.Tests.FakeHttpServer;

namespace BotSociety.Core.Tests.Providers;

/// <summary>
/// Each real provider against a server speaking its wire format: what is sent (model, max tokens, temperature, the
/// action's JSON schema, the key) and what is recorded (the action, tokens, cached tokens, cost from the price table).
/// </summary>
public sealed class ProviderWireTests
{
    private const string ReplyText = """{"action":"create_thread","topic":"astronomy","title":"Dark skies matter","body":"Light pollution hides the stars."}""";

    [Fact]
    public async Task AnthropicGetsTheRequestShapeAndItsUsageIsPricedWithCacheReadsInsideTheInput()
    {
        using var server = Start((_, _) => Wire.Anthropic(ReplyText, input: 600, output: 50, cacheRead: 300, cacheWrite: 100));
        var logs = new CapturedLogs();
        await using var society = await ProviderSociety.StartAsync(server, logs);
        var id = await society.UseModelAsync("Ada", new ModelSection("anthropic", "claude-sonnet-4-5-20250929", 0.3, 300));

        var report = await society.TickNowAsync();

        Assert.True(report.Acted == 1, string.Join("\n", logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal))));
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/messages", request.PathAndQuery);
        Assert.True(request.Header("x-api-key") == ProviderSociety.FakeKey || request.Header("Authorization") == $"Bearer {ProviderSociety.FakeKey}",
            string.Join(", ", request.Headers.Keys));
        var body = request.Json;
        Assert.True(body["temperature"] is not null, request.Body);
        Assert.Equal("claude-sonnet-4-5-20250929", (string?)body["model"]);
        Assert.Equal(300, (int?)body["max_tokens"]);
        Assert.Equal(0.3, (double)body["temperature"]!, 3);
        Assert.Contains("\"thread_id\"", request.Body, StringComparison.Ordinal);
        Assert.Contains("json_schema", request.Body, StringComparison.Ordinal);

        var row = Assert.Single(await society.ActivityAsync(id));
        Assert.Equal(ActivityActions.CreateThread, row.Action);
        Assert.Equal("anthropic", (string?)row.Details()["model_provider"]);
        Assert.False((bool)row.Details()["simulated"]!);

        // Anthropic's input_tokens leaves out the cache; the adapter's input count adds reads and writes back in, and
        // the cached part is billed at the cache-read rate: (700 × $3 + 300 × $0.30 + 50 × $15) / 1M.
        Assert.Equal(1000, row.InputTokens);
        Assert.Equal(50, row.OutputTokens);
        Assert.Equal(((700 * 3.0) + (300 * 0.3) + (50 * 15.0)) / 1_000_000, row.CostUsd, 9);
        await using var db = society.Db();
        var usage = await db.DailyUsage.SingleAsync(u => u.BotId == id);
        Assert.Equal(300, usage.CachedInputTokens);
        Assert.Equal(row.CostUsd, usage.EstimatedCostUsd, 9);
        var day = Assert.Single(await society.UsageReportAsync(id));
        Assert.Equal((1000, 300, 0), (day.InputTokens, day.CachedInputTokens, day.UnpricedCalls));
        Assert.DoesNotContain(ProviderSociety.FakeKey, logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAICompatibleGetsTheRequestShapeAndItsCachedTokensAreBilledAtTheCachedRate()
    {
        using var server = Start((_, _) => Wire.OpenAI(ReplyText, prompt: 1000, completion: 50, cached: 400));
        var logs = new CapturedLogs();
        await using var society = await ProviderSociety.StartAsync(server, logs);
        var id = await society.UseModelAsync("Ada", new ModelSection("openai", "gpt-4o-mini-2024-07-18", 0.7, 256));

        var report = await society.TickNowAsync();

        Assert.Equal(1, report.Acted);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.PathAndQuery);
        Assert.Equal($"Bearer {ProviderSociety.FakeKey}", request.Header("Authorization"));
        var body = request.Json;
        Assert.Equal("gpt-4o-mini-2024-07-18", (string?)body["model"]);
        Assert.Equal(256, (int?)(body["max_completion_tokens"] ?? body["max_tokens"]));
        Assert.Equal(0.7, (double)body["temperature"]!, 3);
        Assert.Equal("json_schema", (string?)body["response_format"]!["type"]);
        Assert.Contains("\"thread_id\"", body["response_format"]!.ToJsonString(), StringComparison.Ordinal);

        var row = Assert.Single(await society.ActivityAsync(id));
        Assert.Equal(ActivityActions.CreateThread, row.Action);
        Assert.Equal(1000, row.InputTokens);
        Assert.Equal(((600 * 0.15) + (400 * 0.075) + (50 * 0.6)) / 1_000_000, row.CostUsd, 9);
        Assert.Equal(400, (int?)row.Details()["cached_input_tokens"]);
    }

    [Fact]
    public async Task OllamaGetsItsOwnMaxTokensAndSchemaAndCostsNothing()
    {
        using var server = Start((request, _) => Wire.Ollama(request, ReplyText));
        var logs = new CapturedLogs();
        await using var society = await ProviderSociety.StartAsync(server, logs);
        var id = await society.UseModelAsync("Ada", new ModelSection("ollama", "llama3.1", 0.5, 200));

        var report = await society.TickNowAsync();

        Assert.Equal(1, report.Acted);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/chat", request.PathAndQuery);
        var body = request.Json;
        Assert.Equal("llama3.1", (string?)body["model"]);
        Assert.Equal(200, (int?)body["options"]!["num_predict"]);
        Assert.Equal(0.5, (double)body["options"]!["temperature"]!, 3);
        Assert.Contains("\"thread_id\"", body["format"]!.ToJsonString(), StringComparison.Ordinal);

        var row = Assert.Single(await society.ActivityAsync(id));
        Assert.Equal(ActivityActions.CreateThread, row.Action);
        Assert.Equal(900, row.InputTokens);
        Assert.Equal(40, row.OutputTokens);
        Assert.Equal(0, row.CostUsd);
        Assert.Null(row.Details()["cost_unknown"]);
    }

    [Fact]
    public async Task AModelWithNoPriceIsRecordedAsUnknownCostAndTheOperatorIsWarned()
    {
        using var server = Start((_, _) => Wire.OpenAI(ReplyText, model: "mystery-model-1"));
        var logs = new CapturedLogs();
        await using var society = await ProviderSociety.StartAsync(server, logs);
        var id = await society.UseModelAsync("Ada", new ModelSection("openai", "mystery-model-1", 0.7, 256));

        var report = await society.TickNowAsync();

        Assert.True(report.Acted == 1, logs.All);

        var row = Assert.Single(await society.ActivityAsync(id));
        Assert.True((bool)row.Details()["cost_unknown"]!);
        await using var db = society.Db();
        var usage = await db.DailyUsage.SingleAsync(u => u.BotId == id);
        Assert.Equal(1, usage.UnpricedCalls);
        Assert.Equal(0, usage.EstimatedCostUsd);
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("No price for openai model mystery-model-1", StringComparison.Ordinal));
        var bot = await society.Services.GetRequiredService<BotQueries>().GetAsync(id, CancellationToken.None);
        Assert.Equal(1, bot!.Usage.UnpricedCalls);
        var day = Assert.Single(await society.UsageReportAsync(id));
        Assert.Equal((1, 1, 0.0), (day.Calls, day.UnpricedCalls, day.EstimatedCostUsd));
    }
}
