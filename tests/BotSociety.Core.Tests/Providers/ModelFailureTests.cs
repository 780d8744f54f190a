using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BotSociety.Core.Bots;
using BotSociety.Core.Llm;
using BotSociety.Core.Realtime;
using BotSociety.Core.Simulation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static BotSociety.Core.Tests.FakeHttpServer;

namespace BotSociety.Core.Tests.Providers;

/// <summary>
/// Every way a real provider fails ends as one <c>heartbeat_failed</c> activity and event with a readable reason, and
/// nothing else; a refused key pauses the provider's bots with a visible reason; the key never appears anywhere.
/// </summary>
public sealed class ModelFailureTests
{
    private static readonly ModelSection Claude = new("anthropic", "claude-sonnet-4-5-20250929", 0.5, 300);
    private static readonly ModelSection Gpt = new("openai", "gpt-4o-mini", 0.5, 300);
    private static readonly ModelSection Llama = new("ollama", "llama3.1", 0.5, 300);

    [Theory]
    [InlineData(401, "authentication_error")]
    [InlineData(403, "permission_error")]
    public async Task ARefusedKeyFailsTheHeartbeatAndPausesTheProvidersBotsWithAReasonAndNoKeyAnywhere(int status, string type)
    {
        // Some services echo what they were sent: the fake one quotes the key back in its error message.
        using var server = Start((_, _) => Wire.AnthropicError(status, type, $"invalid x-api-key {ProviderSociety.FakeKey}"));
        var logs = new CapturedLogs();
        var events = new RecordingPublisher();
        await using var society = await ProviderSociety.StartAsync(server, logs, publisher: events);
        await society.UseModelAsync("Bram", Claude);
        var id = await society.UseModelAsync("Ada", Claude);

        await society.TickNowAsync();

        var row = await AssertOnlyAFailureAsync(society, id, ModelFailureKinds.Auth, $"anthropic refused the key (HTTP {status})");
        Assert.Single(server.Requests);
        Assert.Contains(events.Events, e => e.Type == SocietyEventTypes.HeartbeatFailed && e.BotId == id);
        Assert.Contains(events.Events, e => e.Type == SocietyEventTypes.BotPaused && e.BotId == id);
        var pause = Assert.Single(await society.ActivityAsync(id), a => a.Actor is not null);
        Assert.Equal((ActivityActions.Pause, "society"), (pause.Action, pause.Actor));

        var queries = society.Services.GetRequiredService<BotQueries>();
        foreach (var name in new[] { "Ada", "Bram" })
        {
            var bot = await queries.GetAsync(await society.BotIdAsync(name), CancellationToken.None);
            Assert.Equal("paused", bot!.Status);
            Assert.StartsWith("paused: anthropic refused the key", bot.PausedReason, StringComparison.Ordinal);
            Assert.Equal(bot.PausedReason, bot.StatusReason);
        }

        Assert.False((await queries.GetAsync(await society.BotIdAsync("Cleo"), CancellationToken.None))!.Status == "paused");

        // Paused: the next ticks do not call the provider again.
        await society.TickAsync();
        Assert.Single(server.Requests);

        Assert.DoesNotContain(ProviderSociety.FakeKey, row.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderSociety.FakeKey, await society.StoredTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderSociety.FakeKey, logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderSociety.FakeKey, System.Text.Json.JsonSerializer.Serialize(events.Events), StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Mask, row.Details, StringComparison.Ordinal);

        // Resuming (after fixing the key) clears the reason.
        var resumed = await society.Services.GetRequiredService<BotControl>().ResumeAsync(id, CancellationToken.None);
        Assert.Equal("active", resumed!.Status);
        Assert.Null(resumed.PausedReason);
    }

    [Fact]
    public async Task AnOpenAIKeyRefusalIsReadableAndRedactedToo()
    {
        using var server = Start((_, _) => Wire.OpenAIError(401, $"Incorrect API key provided: {ProviderSociety.FakeKey}."));
        var logs = new CapturedLogs();
        await using var society = await ProviderSociety.StartAsync(server, logs);
        var id = await society.UseModelAsync("Ada", Gpt);

        await society.TickNowAsync();

        var row = await AssertOnlyAFailureAsync(society, id, ModelFailureKinds.Auth, "openai refused the key (HTTP 401)");
        Assert.DoesNotContain(ProviderSociety.FakeKey, row.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderSociety.FakeKey, await society.StoredTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderSociety.FakeKey, logs.All, StringComparison.Ordinal);
        Assert.Equal("paused", (await society.Services.GetRequiredService<BotQueries>().GetAsync(id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task ARateLimitIsRetriedAfterTheServersRetryAfterThenFailsReadably()
    {
        using var server = Start((_, _) => Wire.OpenAIError(429, "Rate limit reached", new Dictionary<string, string> { ["Retry-After"] = "1" }));
        var logs = new CapturedLogs();
        await using var society = await ProviderSociety.StartAsync(server, logs);
        var id = await society.UseModelAsync("Ada", Gpt);

        var clock = Stopwatch.StartNew();
        await society.TickNowAsync();

        Assert.Equal(2, server.Requests.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"the retry came after {clock.Elapsed}, before the server's Retry-After of 1 s");
        await AssertOnlyAFailureAsync(society, id, ModelFailureKinds.RateLimit, "openai is rate limiting us (HTTP 429)");
        Assert.False((await society.Services.GetRequiredService<BotQueries>().GetAsync(id, CancellationToken.None))!.Status == "paused");
    }

    [Fact]
    public async Task AServerErrorIsRetriedOnceAndThenSucceeds()
    {
        using var server = Start((request, i) => i == 0 ? Wire.AnthropicError(529, "overloaded_error", "Overloaded") : Wire.Anthropic(Wire.RestAction));
        await using var society = await ProviderSociety.StartAsync(server, new CapturedLogs());
        var id = await society.UseModelAsync("Ada", Claude);

        var report = await society.TickNowAsync();

        Assert.Equal(1, report.Acted);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(ActivityActions.Rest, Assert.Single(await society.ActivityAsync(id)).Action);
    }

    [Fact]
    public async Task APersistentServerErrorFailsTheHeartbeat()
    {
        using var server = Start((_, _) => Wire.OpenAIError(503, "upstream unavailable"));
        await using var society = await ProviderSociety.StartAsync(server, new CapturedLogs());
        var id = await society.UseModelAsync("Ada", Gpt);

        await society.TickNowAsync();

        Assert.Equal(2, server.Requests.Count);
        await AssertOnlyAFailureAsync(society, id, ModelFailureKinds.Server, "openai had a server error (HTTP 503)");
    }

    [Fact]
    public async Task ASlowModelTimesOut()
    {
        using var server = StartAsync(async (request, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            return Wire.Ollama(request, Wire.RestAction);
        });
        await using var society = await ProviderSociety.StartAsync(server, new CapturedLogs(), new Dictionary<string, string?>
        {
            ["Models:AttemptTimeoutSeconds"] = "1",
            ["Models:MaxRetries"] = "0",
        });
        var id = await society.UseModelAsync("Ada", Llama);

        await society.TickNowAsync();

        await AssertOnlyAFailureAsync(society, id, ModelFailureKinds.Timeout, "ollama did not answer in time");
    }

    [Fact]
    public async Task AnUnreachableServerFailsReadably()
    {
        int closed;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closed = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var society = await ProviderSociety.StartAsync(null, new CapturedLogs(), new Dictionary<string, string?>
        {
            ["Models:Ollama:Endpoint"] = $"http://127.0.0.1:{closed}",
            ["Models:MaxRetries"] = "0",
        });
        var id = await society.UseModelAsync("Ada", Llama);

        await society.TickNowAsync();

        await AssertOnlyAFailureAsync(society, id, ModelFailureKinds.Network, "ollama could not be reached");
    }

    [Fact]
    public async Task AMalformedAnswerGetsOneRepairAttemptThenFails()
    {
        using var server = Start((_, _) => Wire.OpenAI("Sure! I would love to post something today."));
        await using var society = await ProviderSociety.StartAsync(server, new CapturedLogs());
        var id = await society.UseModelAsync("Ada", Gpt);

        await society.TickNowAsync();

        Assert.Equal(2, server.Requests.Count);
        Assert.Contains("could not be used", server.Requests[1].Body, StringComparison.Ordinal);
        var row = await AssertOnlyAFailureAsync(society, id, ModelFailureKinds.Malformed, "after one repair attempt");
        Assert.Equal(2000, row.InputTokens);
    }

    [Fact]
    public async Task ARepairedAnswerIsUsed()
    {
        using var server = Start((request, i) => i == 0 ? Wire.OpenAI("```json\n{\"action\": \"rest\", \"reason\": ") : Wire.OpenAI(Wire.RestAction));
        await using var society = await ProviderSociety.StartAsync(server, new CapturedLogs());
        var id = await society.UseModelAsync("Ada", Gpt);

        var report = await society.TickNowAsync();

        Assert.Equal(1, report.Acted);
        Assert.Equal(2, server.Requests.Count);
        var row = Assert.Single(await society.ActivityAsync(id));
        Assert.Equal(ActivityActions.Rest, row.Action);
        Assert.Equal(2000, row.InputTokens);
    }

    [Fact]
    public async Task ARefusalFailsTheHeartbeatWithoutARepairAttempt()
    {
        using var server = Start((_, _) => Wire.Anthropic("I can't help with that.", stopReason: "refusal"));
        await using var society = await ProviderSociety.StartAsync(server, new CapturedLogs());
        var id = await society.UseModelAsync("Ada", Claude);

        await society.TickNowAsync();

        Assert.Single(server.Requests);
        await AssertOnlyAFailureAsync(society, id, ModelFailureKinds.Refusal, "the model refused");
    }

    [Fact]
    public async Task AContentFilterStopIsARefusal()
    {
        using var server = Start((_, _) => Wire.OpenAI(null, finish: "content_filter"));
        await using var society = await ProviderSociety.StartAsync(server, new CapturedLogs());
        var id = await society.UseModelAsync("Ada", Gpt);

        await society.TickNowAsync();

        await AssertOnlyAFailureAsync(society, id, ModelFailureKinds.Refusal, "the model refused");
    }

    [Fact]
    public async Task AProviderWithNoKeyFailsWithoutACall()
    {
        using var server = Start((_, _) => Wire.Anthropic(Wire.RestAction));
        await using var society = await ProviderSociety.StartAsync(null, new CapturedLogs(), new Dictionary<string, string?>
        {
            ["Models:Anthropic:BaseUrl"] = server.Url,
        });
        var id = await society.UseModelAsync("Ada", Claude);

        await society.TickNowAsync();

        Assert.Empty(server.Requests);
        await AssertOnlyAFailureAsync(society, id, ModelFailureKinds.Unavailable, "has no key");
    }

    /// <summary>
    /// The bot's only activity of its own is a <c>heartbeat_failed</c> of <paramref name="kind"/>, and no content was
    /// written (the society's rows about it, such as a pause after a refused key, are not the bot's).
    /// </summary>
    private static async Task<ActivityLogEntry> AssertOnlyAFailureAsync(TestSociety society, int botId, string kind, string reason)
    {
        var row = Assert.Single(await society.ActivityAsync(botId), a => a.Actor is null);
        Assert.Equal(ActivityActions.HeartbeatFailed, row.Action);
        var details = row.Details();
        Assert.Equal(kind, (string?)details["kind"]);
        Assert.Contains(reason, (string)details["reason"]!, StringComparison.Ordinal);
        await using var db = society.Db();
        Assert.Equal(0, await db.Threads.CountAsync() + await db.Posts.CountAsync() + await db.Votes.CountAsync() + await db.Follows.CountAsync());
        Assert.Equal(0, await db.WarmMemories.CountAsync(m => m.BotId == botId));
        return row;
    }
}
