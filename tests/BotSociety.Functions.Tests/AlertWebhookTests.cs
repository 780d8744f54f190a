using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BotSociety.Core.Tests;

namespace BotSociety.Functions.Tests;

/// <summary>
/// A firing end to end, as devhost runs the worker: a bot's heartbeats fail (its model's server is down), the tick's
/// evaluation fires the rule once, the feed and the rule show it, and the webhook (a real HTTP server on 127.0.0.1)
/// receives one POST whose signature is the HMAC of its raw body. Server errors are retried and counted.
/// </summary>
public sealed class AlertWebhookTests(AlertSociety society) : IClassFixture<AlertSociety>
{
    private const string Secret = "webhook-test-secret";

    [Fact]
    public async Task AFailingBotFiresItsRuleOncePerEpisodeWithASignedWebhook()
    {
        const int Bot = 5;
        using var receiver = FakeHttpServer.Start((_, _) => new FakeHttpServer.Reply(200, "{}"));
        var id = await CreateRuleAsync(Bot, receiver.Url);
        await society.BreakModelAsync(Bot);

        await society.TickAsync();

        var post = Assert.Single(await ReceivedAsync(receiver, 1));
        Assert.Equal(("POST", "/hook"), (post.Method, post.PathAndQuery));
        Assert.Equal("application/json", post.Header("Content-Type"));
        Assert.Equal($"sha256={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(post.Body)))}",
            post.Header("X-BotSociety-Signature"));
        using var body = JsonDocument.Parse(post.Body);
        var payload = body.RootElement;
        Assert.Equal(["alert_id", "kind", "bot_id", "bot_name", "message", "fired_at", "activity_id"], payload.EnumerateObject().Select(p => p.Name));
        Assert.Equal(id, payload.GetProperty("alert_id").GetInt32());
        Assert.Equal("heartbeat_failed", payload.GetProperty("kind").GetString());
        Assert.Equal(Bot, payload.GetProperty("bot_id").GetInt32());
        var name = payload.GetProperty("bot_name").GetString();
        Assert.Equal($"{name}: 1 heartbeat failed in the last 60 minutes (network)", payload.GetProperty("message").GetString());

        var delivery = await FinishedDeliveryAsync(id);
        Assert.Equal(("delivered", 200, 1), (delivery.GetProperty("status").GetString(), delivery.GetProperty("status_code").GetInt32(), delivery.GetProperty("attempts").GetInt32()));
        Assert.Equal(payload.GetProperty("activity_id").GetInt64(), delivery.GetProperty("activity_id").GetInt64());
        Assert.Equal(delivery.GetProperty("delivery_id").GetInt64().ToString(CultureInfo.InvariantCulture), post.Header("X-BotSociety-Delivery"));

        // The feed's alert_fired row is the one the webhook names, by the society, naming the rule and the bot.
        var fired = await society.GetJsonAsync($"/api/activity/{payload.GetProperty("activity_id").GetInt64()}");
        Assert.Equal("alert_fired", fired.GetProperty("action").GetString());
        Assert.Equal("society", fired.GetProperty("actor").GetString());
        Assert.Equal(Bot, fired.GetProperty("bot_id").GetInt32());
        Assert.Equal(id, fired.GetProperty("details").GetProperty("alert_id").GetInt32());
        Assert.Equal(payload.GetProperty("message").GetString(), fired.GetProperty("details").GetProperty("message").GetString());
        Assert.Equal(payload.GetProperty("fired_at").GetDateTime(), fired.GetProperty("details").GetProperty("fired_at").GetDateTime());
        var firing = Assert.Single((await society.GetJsonAsync($"/api/alerts/{id}")).GetProperty("firing").EnumerateArray());
        Assert.Equal((Bot, name), (firing.GetProperty("bot_id").GetInt32(), firing.GetProperty("bot_name").GetString()));
        Assert.Equal(payload.GetProperty("activity_id").GetInt64(), firing.GetProperty("activity_id").GetInt64());

        // It keeps failing: the same episode, so no second alert and no second POST.
        await society.TickAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(receiver.Requests);
        Assert.Equal(1, (await society.GetJsonAsync($"/api/alerts/{id}/deliveries")).GetProperty("total").GetInt32());
        Assert.Single(await FiredRowsAsync(id));

        // Changing the rule starts it afresh: the bot still fails, so it fires again.
        var (status, text) = await society.SendAsync(HttpMethod.Put, $"/api/alerts/{id}",
            $$"""{"kind": "heartbeat_failed", "bot_id": {{Bot}}, "count": 1, "window_minutes": 30, "webhook_url": "{{receiver.Url}}/hook"}""");
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Empty((await society.GetJsonAsync($"/api/alerts/{id}")).GetProperty("firing").EnumerateArray());
        await society.TickAsync();
        Assert.Equal(2, (await ReceivedAsync(receiver, 2)).Count);
        Assert.Equal(2, (await FiredRowsAsync(id)).Count);
    }

    [Fact]
    public async Task AServerErrorIsRetriedAndTheDeliveryCountsItsAttempts()
    {
        const int Bot = 6;
        using var receiver = FakeHttpServer.Start((_, i) => new FakeHttpServer.Reply(i < 2 ? 500 : 200, "{}"));
        var id = await CreateRuleAsync(Bot, receiver.Url);
        await society.BreakModelAsync(Bot);

        await society.TickAsync();

        var delivery = await FinishedDeliveryAsync(id);
        Assert.Equal(("delivered", 200, 3), (delivery.GetProperty("status").GetString(), delivery.GetProperty("status_code").GetInt32(), delivery.GetProperty("attempts").GetInt32()));
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("error").ValueKind);
        Assert.True(delivery.GetProperty("finished_at").GetDateTime() >= delivery.GetProperty("created_at").GetDateTime());
        var posts = receiver.Requests;
        Assert.Equal(3, posts.Count);
        Assert.Single(posts.Select(p => (p.Body, p.Header("X-BotSociety-Delivery"), p.Header("X-BotSociety-Signature"))).Distinct());
    }

    private async Task<int> CreateRuleAsync(int bot, string url)
    {
        var (status, text) = await society.SendAsync(HttpMethod.Post, "/api/alerts",
            $$"""{"kind": "heartbeat_failed", "bot_id": {{bot}}, "count": 1, "window_minutes": 60, "webhook_url": "{{url}}/hook", "secret": "{{Secret}}"}""");
        Assert.True(status == HttpStatusCode.Created, text);
        using var rule = JsonDocument.Parse(text);
        return rule.RootElement.GetProperty("alert_id").GetInt32();
    }

    private async Task<IReadOnlyList<FakeHttpServer.Received>> ReceivedAsync(FakeHttpServer receiver, int count)
    {
        var waited = Stopwatch.StartNew();
        while (receiver.Requests.Count < count)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"the webhook got {receiver.Requests.Count} of {count} POSTs in 30 s\n{society.Output}");
            await Task.Delay(50);
        }

        return receiver.Requests;
    }

    /// <summary>The rule's newest delivery once the sender has finished with it.</summary>
    private async Task<JsonElement> FinishedDeliveryAsync(int id)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var page = await society.GetJsonAsync($"/api/alerts/{id}/deliveries");
            if (page.GetProperty("items").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } delivery
                && delivery.GetProperty("status").GetString() != "pending")
            {
                return delivery;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"rule {id} has no finished delivery after 30 s: {page}\n{society.Output}");
            await Task.Delay(100);
        }
    }

    private async Task<List<JsonElement>> FiredRowsAsync(int id) =>
        [
            .. (await society.GetJsonAsync("/api/activity?action=alert_fired&limit=200")).GetProperty("items").EnumerateArray()
                .Where(r => r.GetProperty("details").GetProperty("alert_id").GetInt32() == id),
        ];
}
