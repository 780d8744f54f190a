using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using BotSociety.Core.Data;
using BotSociety.Core.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BotSociety.Core.Tests;

/// <summary>
/// The Web PubSub publisher against a stand-in service on a real socket (HttpListener): what it sends, and that a
/// dead or hanging service costs a tick nothing but its timeout while the tick's rows are committed.
/// </summary>
public sealed class WebPubSubPublisherTests
{
    private const string AccessKey = "test-access-key-0123456789abcdefghijklmnop";

    [Fact]
    public async Task EachEventOfATickIsSentInOrderWithATokenForItsUrl()
    {
        using var relay = FakeHttpServer.Start((_, _) => new FakeHttpServer.Reply((int)HttpStatusCode.Accepted, ""));
        await using var society = await TestSociety.StartAsync(settings: Settings(relay.Port));

        var report = await society.TickAsync();

        var received = relay.Requests;
        Assert.Equal(report.Acted + report.Failed + report.Capped, received.Count);
        await using var db = society.Db();
        var activityIds = await db.ActivityLog.OrderBy(a => a.Id).Select(a => a.EventId).ToListAsync();
        Assert.Equal(activityIds, received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetString()));
        foreach (var request in received)
        {
            Assert.Equal("POST", request.Method);
            Assert.Equal($"/api/hubs/society/:send?api-version=2024-12-01", request.PathAndQuery);
            var body = JsonDocument.Parse(request.Body).RootElement;
            Assert.Equal(SocietyEventTypes.HeartbeatComplete, body.GetProperty("type").GetString());
            foreach (var field in new[] { "bot_id", "bot_name", "action", "details", "tokens_used", "timestamp" })
            {
                Assert.True(body.TryGetProperty(field, out _), $"the event has no {field}: {request.Body}");
            }

            // The token is the server SDK's: HS256 over the AccessKey's UTF-8 bytes, audience the full URL.
            var validation = await new JsonWebTokenHandler().ValidateTokenAsync(request.BearerToken, new TokenValidationParameters
            {
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(AccessKey)),
                ValidAudience = $"http://127.0.0.1:{relay.Port}/api/hubs/society/:send?api-version=2024-12-01",
                ValidateIssuer = false,
                ValidateLifetime = false,
            });
            Assert.True(validation.IsValid, validation.Exception?.Message);
        }

        var health = await society.Services.GetRequiredService<SocietyHealth>().CheckAsync(CancellationToken.None);
        Assert.Equal(received.Count, health.Realtime.EventsPublished);
        Assert.Equal(0, health.Realtime.EventsLost);
    }

    [Fact]
    public async Task ADeadServiceCostsNotTheTickAndItsEventsAreGivenUpOnlyAfterEveryRetry()
    {
        var closedPort = FakeHttpServer.FreePort();
        await using var society = await TestSociety.StartAsync(settings: Settings(closedPort));

        var report = await society.TickAsync();

        Assert.True(report.Acted > 0);
        var events = report.Acted + report.Failed + report.Capped;
        await using (var db = society.Db())
        {
            Assert.Equal(events, await db.ActivityLog.CountAsync());
        }

        var health = await society.Services.GetRequiredService<SocietyHealth>().CheckAsync(CancellationToken.None);
        Assert.Equal("healthy", health.Status);
        Assert.Equal((0, 0, events), (health.Realtime.EventsPublished, health.Realtime.EventsLost, health.Realtime.EventsPending));
        Assert.NotNull(health.Realtime.LastError);

        // Each retry waits longer (2, 4, 8, 16 s); a minute covers any of them. The last failure gives them up, counted.
        var outbox = society.Services.GetRequiredService<EventOutbox>();
        for (var attempt = 2; attempt <= EventOutbox.MaxAttempts; attempt++)
        {
            society.Clock.Advance(TimeSpan.FromMinutes(1));
            await outbox.DrainAsync(CancellationToken.None);
        }

        health = await society.Services.GetRequiredService<SocietyHealth>().CheckAsync(CancellationToken.None);
        Assert.Equal((0, events, 0), (health.Realtime.EventsPublished, health.Realtime.EventsLost, health.Realtime.EventsPending));
    }

    [Fact]
    public async Task AHangingServiceCostsTheTickOnlyItsTimeout()
    {
        // The service takes every request and never answers; the publisher must give up after its deadline.
        using var relay = FakeHttpServer.StartAsync((_, _) => new TaskCompletionSource<FakeHttpServer.Reply>().Task);
        var settings = Settings(relay.Port);
        settings["Realtime:PublishTimeoutSeconds"] = "0.5";
        await using var society = await TestSociety.StartAsync(settings: settings);

        var watch = Stopwatch.StartNew();
        var report = await society.TickAsync();
        watch.Stop();

        // A generous bound: without the deadline the tick would wait for the hanging service for good.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"the tick took {watch.Elapsed}");
        await using var db = society.Db();
        Assert.Equal(report.Acted + report.Failed + report.Capped, await db.ActivityLog.CountAsync());
        var health = await society.Services.GetRequiredService<SocietyHealth>().CheckAsync(CancellationToken.None);
        Assert.True(health.Realtime.EventsPending > 0);
        Assert.Contains("not sent within 0.5 s", health.Realtime.LastError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AccessKey=short;Endpoint=http://localhost", "AccessKey")]
    [InlineData("Endpoint=ftp://x;AccessKey=" + AccessKey, "Endpoint")]
    [InlineData("AccessKey=" + AccessKey, "Endpoint")]
    [InlineData("Endpoint=http://localhost;Port=99999;AccessKey=" + AccessKey, "Port")]
    public async Task ABadConnectionStringStopsTheStartNamingTheSetting(string connectionString, string part)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestSociety.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Realtime:ConnectionString"] = connectionString,
        }));

        Assert.Contains("Realtime:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains(part, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegotiateGivesAWebSocketAddressWithAClientTokenForTheHub()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new RealtimeOptions
        {
            ConnectionString = $"Endpoint=http://localhost;Port=7071;AccessKey={AccessKey};Version=1.0;",
            Hub = "society",
            PublicEndpoint = new Uri("https://demo.example.org/live"),
        });
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestSociety.Start);

        var answer = new Negotiator(options, clock).Negotiate()!;

        Assert.Equal("wss", answer.Url.Scheme);
        Assert.Equal("demo.example.org", answer.Url.Host);
        Assert.Equal("/live/client/hubs/society", answer.Url.AbsolutePath);
        Assert.Equal(TestSociety.Start.AddMinutes(60), answer.ExpiresAt);
        var token = new JsonWebToken(Uri.UnescapeDataString(answer.Url.Query["?access_token=".Length..]));
        Assert.Equal("http://localhost:7071/client/hubs/society", Assert.Single(token.Audiences));
        Assert.Equal(TestSociety.Start.AddMinutes(60).UtcDateTime, token.ValidTo);
        Assert.Null(new Negotiator(Microsoft.Extensions.Options.Options.Create(new RealtimeOptions()), clock).Negotiate());
    }

    private static Dictionary<string, string?> Settings(int port) => new()
    {
        ["Realtime:ConnectionString"] = $"Endpoint=http://127.0.0.1;Port={port};AccessKey={AccessKey};Version=1.0;",
    };
}
