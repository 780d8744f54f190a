using System.Net;
using System.Text.Json;

namespace BotSociety.Functions.Tests;

/// <summary>
/// The operator's view over HTTP through devhost: the trace of every model call, bot health (a bot moved to a provider
/// nobody answers for shows unreachable, then healthy again), the audit trail of operator actions, and cost by model.
/// </summary>
public sealed class OperatorViewApiTests(PopulatedSociety society) : IClassFixture<PopulatedSociety>
{
    private const int UnreachableBot = 7;
    private const int AuditedBot = 8;

    [Fact]
    public async Task AHeartbeatsTraceHoldsThePromptTheCompletionTokensAndModel()
    {
        var row = (await society.ActivityAsync("&action=create_thread")).First();
        var id = row.GetProperty("id").GetInt64();

        using var trace = await society.GetJsonAsync($"/api/activity/{id}/trace");
        var t = trace.RootElement;
        Assert.Equal(id, t.GetProperty("activity_id").GetInt64());
        Assert.Equal("heartbeat", t.GetProperty("kind").GetString());
        Assert.Equal("offline", t.GetProperty("provider").GetString());
        Assert.Equal(row.GetProperty("model").GetString(), t.GetProperty("model").GetString());
        Assert.True(t.GetProperty("simulated").GetBoolean());
        var messages = t.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["system", "user"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Contains(row.GetProperty("bot_name").GetString()!, messages[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("create_thread", t.GetProperty("completion").GetString(), StringComparison.Ordinal);
        Assert.Equal(row.GetProperty("input_tokens").GetInt32(), t.GetProperty("input_tokens").GetInt32());
        Assert.Equal(row.GetProperty("output_tokens").GetInt32(), t.GetProperty("output_tokens").GetInt32());
        Assert.Equal(0, t.GetProperty("retries").GetInt32());
        Assert.True(t.GetProperty("latency_ms").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Null, t.GetProperty("failure_kind").ValueKind);

        using var none = await society.GetProblemAsync("/api/activity/999999999/trace", HttpStatusCode.NotFound);
        using var bad = await society.GetProblemAsync("/api/activity/abc/trace", HttpStatusCode.BadRequest);
        Assert.True(bad.RootElement.GetProperty("errors").TryGetProperty("activity_id", out _));
    }

    [Fact]
    public async Task ABotWhoseProviderAnswersNobodyShowsUnreachableWithItsFailuresTracedThenHealthyAgain()
    {
        // Nothing listens for Ollama on this machine: the probe says so, and each heartbeat fails after its retries.
        using (var models = await society.GetJsonAsync("/api/models"))
        {
            var providers = models.RootElement.GetProperty("providers").EnumerateArray().ToList();
            var ollama = providers.Single(p => p.GetProperty("id").GetString() == "ollama");
            Assert.False(ollama.GetProperty("reachable").GetBoolean());
            Assert.Contains("localhost:11434", ollama.GetProperty("reachability").GetString(), StringComparison.Ordinal);
            var offline = providers.Single(p => p.GetProperty("id").GetString() == "offline");
            Assert.Equal(JsonValueKind.Null, offline.GetProperty("reachable").ValueKind);
        }

        await PutConfigAsync(UnreachableBot, """{"model": {"provider": "ollama", "model": "llama3.1"}}""");
        using (var moved = await society.GetJsonAsync($"/api/bots/{UnreachableBot}"))
        {
            // The probe's answer is kept, so the bot shows unreachable before its first failure.
            Assert.Equal("unreachable", moved.RootElement.GetProperty("health").GetString());
        }

        for (var i = 0; i < 3; i++)
        {
            await society.MakeEveryBotDueAsync();
            await society.RunAsync("Heartbeat");
        }

        using (var bot = await society.GetJsonAsync($"/api/bots/{UnreachableBot}"))
        {
            var b = bot.RootElement;
            Assert.Equal("unreachable", b.GetProperty("health").GetString());
            Assert.Equal(3, b.GetProperty("failed_heartbeats").GetInt32());
            Assert.Equal("network", b.GetProperty("failure_kind").GetString());
            Assert.True(b.GetProperty("failing_since").GetDateTime() <= TimeProvider.System.GetUtcNow().UtcDateTime);
        }

        var failed = (await society.ActivityAsync($"&bot={UnreachableBot}&action=heartbeat_failed")).First();
        using (var trace = await society.GetJsonAsync($"/api/activity/{failed.GetProperty("id").GetInt64()}/trace"))
        {
            var t = trace.RootElement;
            Assert.Equal("ollama", t.GetProperty("provider").GetString());
            Assert.Equal("network", t.GetProperty("failure_kind").GetString());
            Assert.Contains("could not be reached", t.GetProperty("failure").GetString(), StringComparison.Ordinal);
            Assert.Equal(2, t.GetProperty("retries").GetInt32());
            Assert.Equal(JsonValueKind.Null, t.GetProperty("completion").ValueKind);
        }

        using (var usage = await society.GetJsonAsync("/api/stats/usage"))
        {
            var providers = usage.RootElement.GetProperty("providers").EnumerateArray().ToDictionary(p => p.GetProperty("provider").GetString()!);
            Assert.Equal(1.0, providers["ollama"].GetProperty("failure_rate").GetDouble());
            Assert.True(providers["ollama"].GetProperty("calls").GetInt64() >= 3);
            Assert.Equal(0.0, providers["offline"].GetProperty("failure_rate").GetDouble());
            Assert.True(providers["offline"].GetProperty("latency_samples").GetInt32() > 0);
            Assert.True(providers["offline"].GetProperty("latency_p95_ms").GetDouble() >= providers["offline"].GetProperty("latency_p50_ms").GetDouble());
            var byModel = usage.RootElement.GetProperty("by_model").EnumerateArray().ToList();
            Assert.Contains(byModel, m => m.GetProperty("model").GetString() == "llama3.1" && m.GetProperty("kind").GetString() == "heartbeat"
                && m.GetProperty("failures").GetInt64() == m.GetProperty("calls").GetInt64());
        }

        await PutConfigAsync(UnreachableBot, """{"model": {"provider": "offline", "model": "offline-simulator"}}""");
        await society.MakeEveryBotDueAsync();
        await society.RunAsync("Heartbeat");
        using var back = await society.GetJsonAsync($"/api/bots/{UnreachableBot}");
        Assert.Equal("healthy", back.RootElement.GetProperty("health").GetString());
        Assert.Equal(0, back.RootElement.GetProperty("failed_heartbeats").GetInt32());
    }

    [Fact]
    public async Task OperatorActionsAreActivityRowsWithActorBeforeAndAfterAndEveryActionIsAFilter()
    {
        await SendAsync(HttpMethod.Put, "/api/pace", """{"pace": "fast"}""");
        await SendAsync(HttpMethod.Put, "/api/pace", """{"pace": "normal"}""");
        await SendAsync(HttpMethod.Post, $"/api/bots/{AuditedBot}/pause", null);
        await SendAsync(HttpMethod.Post, $"/api/bots/{AuditedBot}/resume", null);
        await SendAsync(HttpMethod.Put, $"/api/bots/{AuditedBot}/cost-cap", """{"daily_token_cap": 80000, "daily_cost_cap_usd": null}""");
        await PutConfigAsync(AuditedBot, """{"behavior": {"skepticism": 81}}""");

        var pace = (await society.ActivityAsync("&action=pace_changed")).Select(r => r.Clone()).ToList();
        var toFast = pace.Single(r => r.GetProperty("details").GetProperty("after").GetProperty("pace").GetString() == "fast");
        Assert.Equal(JsonValueKind.Null, toFast.GetProperty("bot_id").ValueKind);
        Assert.Equal("operator", toFast.GetProperty("actor").GetString());
        Assert.Equal("normal", toFast.GetProperty("details").GetProperty("before").GetProperty("pace").GetString());

        var pause = Assert.Single(await society.ActivityAsync($"&action=pause&bot={AuditedBot}"));
        Assert.Equal("active", pause.GetProperty("details").GetProperty("before").GetProperty("status").GetString());
        Assert.Equal("paused", pause.GetProperty("details").GetProperty("after").GetProperty("status").GetString());
        Assert.Single(await society.ActivityAsync($"&action=resume&bot={AuditedBot}"));

        var cap = Assert.Single(await society.ActivityAsync($"&action=cost_cap_changed&bot={AuditedBot}"));
        Assert.Equal(80000, cap.GetProperty("details").GetProperty("after").GetProperty("daily_token_cap").GetProperty("value").GetInt64());
        Assert.Equal("default", cap.GetProperty("details").GetProperty("before").GetProperty("daily_token_cap").GetProperty("source").GetString());

        var config = Assert.Single(await society.ActivityAsync($"&action=config_updated&bot={AuditedBot}"));
        Assert.Equal(81, config.GetProperty("details").GetProperty("after").GetProperty("behavior").GetProperty("skepticism").GetInt32());

        // The audit trail alone, and in the unfiltered feed with a total that counts it.
        var audit = await society.ActivityAsync($"&audit=true&bot={AuditedBot}");
        Assert.Equal(["config_updated", "cost_cap_changed", "resume", "pause"], audit.Select(r => r.GetProperty("action").GetString()));
        using (var all = await society.GetJsonAsync($"/api/activity?bot={AuditedBot}&limit=1"))
        {
            var heartbeats = (await society.ActivityAsync($"&bot={AuditedBot}")).Count(r => r.GetProperty("actor").ValueKind == JsonValueKind.Null);
            Assert.Equal(heartbeats + 4, all.RootElement.GetProperty("total").GetInt32());
        }

        using var badAudit = await society.GetProblemAsync("/api/activity?audit=maybe", HttpStatusCode.BadRequest);
        Assert.True(badAudit.RootElement.GetProperty("errors").TryGetProperty("audit", out _));
        using var badAction = await society.GetProblemAsync("/api/activity?action=dance", HttpStatusCode.BadRequest);
        Assert.Contains("pace_changed", badAction.RootElement.GetProperty("errors").GetProperty("action")[0].GetString(), StringComparison.Ordinal);
    }

    private async Task PutConfigAsync(int botId, string json) => await SendAsync(HttpMethod.Put, $"/api/bots/{botId}/config", json);

    private async Task SendAsync(HttpMethod method, string path, string? json)
    {
        var (response, text) = await society.SendAsync(method, path, json);
        using (response)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path} answered {response.StatusCode}: {text}");
        }
    }
}
