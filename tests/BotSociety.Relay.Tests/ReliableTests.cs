using System.Net.WebSockets;
using System.Text.Json;
using BotSociety.Relay.Connections;
using BotSociety.Relay.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BotSociety.Relay.Tests;

/// <summary>Sequence ids, sequenceAck and recovery after a drop without a close frame.</summary>
public sealed class ReliableTests
{
    [Fact]
    public async Task SequenceIdsStartAtOneAndRiseByOne()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(relay.ClientUri());
        await client.ReceiveJsonAsync();

        for (var i = 0; i < 3; i++)
        {
            await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", GroupTests.Text($"m{i}"));
        }

        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await client.ReceiveAsync("message")).GetProperty("sequenceId").GetInt64());
        }

        Assert.Equal([1, 2, 3], ids);
    }

    [Fact]
    public async Task RecoveryReplaysUnacknowledgedMessagesInOrderThenNewOnes()
    {
        await using var relay = await RelayServer.StartAsync();
        var uri = relay.ClientUri(userId: "u1", groups: ["g1"]);
        var first = await TestClient.ConnectAsync(uri);
        var connected = await first.ReceiveJsonAsync();
        var id = connected.GetProperty("connectionId").GetString()!;
        var token = connected.GetProperty("reconnectionToken").GetString()!;
        for (var i = 1; i <= 3; i++)
        {
            await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", GroupTests.Text($"m{i}"));
            await first.ReceiveAsync("message");
        }

        await first.SendJsonAsync(new { type = "sequenceAck", sequenceId = 2 });
        await first.SendJsonAsync(new { type = "ping" });
        await first.ReceiveAsync("pong");
        using var drop = await relay.RestAsync(HttpMethod.Post, $"api/hubs/chat/connections/{id}/:drop");
        await WaitDetachedAsync(relay, id);
        using var exists = await relay.RestAsync(HttpMethod.Head, $"api/hubs/chat/connections/{id}");
        await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", GroupTests.Text("m4"));
        await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/groups/g1/:send", GroupTests.Text("m5"));
        await first.DisposeAsync();

        await using var second = await TestClient.ConnectAsync(new Uri($"{uri}&awps_connection_id={id}&awps_reconnection_token={Uri.EscapeDataString(token)}"));
        var replayed = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            replayed.Add(await second.ReceiveJsonAsync());
        }

        await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", GroupTests.Text("m6"));
        var fresh = await second.ReceiveJsonAsync();

        Assert.Equal(204, (int)drop.StatusCode);
        Assert.Equal(200, (int)exists.StatusCode);
        Assert.Equal(["m3", "m4", "m5"], replayed.Select(m => m.GetProperty("data").GetString()));
        Assert.Equal([3L, 4, 5], replayed.Select(m => m.GetProperty("sequenceId").GetInt64()));
        Assert.Equal(("m6", 6L), (fresh.GetProperty("data").GetString(), fresh.GetProperty("sequenceId").GetInt64()));
    }

    [Fact]
    public async Task RecoveryWithAWrongTokenIsAcceptedThenClosedWith1008()
    {
        await using var relay = await RelayServer.StartAsync();
        var uri = relay.ClientUri();
        await using var first = await TestClient.ConnectAsync(uri);
        var id = (await first.ReceiveJsonAsync()).GetProperty("connectionId").GetString()!;
        await relay.RestAsync(HttpMethod.Post, $"api/hubs/chat/connections/{id}/:drop");
        await WaitDetachedAsync(relay, id);

        await using var second = await TestClient.ConnectAsync(new Uri($"{uri}&awps_connection_id={id}&awps_reconnection_token=wrong"));

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await second.ReceiveCloseAsync());
    }

    [Fact]
    public async Task RecoveryAfterTheWindowIsRefusedAndTheConnectionIsGone()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var relay = await RelayServer.StartAsync(new() { ["Relay:RecoveryWindowSeconds"] = "30" }, time);
        var uri = relay.ClientUri();
        await using var first = await TestClient.ConnectAsync(uri);
        var connected = await first.ReceiveJsonAsync();
        var id = connected.GetProperty("connectionId").GetString()!;
        await relay.RestAsync(HttpMethod.Post, $"api/hubs/chat/connections/{id}/:drop");
        await WaitDetachedAsync(relay, id);

        time.Advance(TimeSpan.FromSeconds(31));
        using var exists = await relay.RestAsync(HttpMethod.Head, $"api/hubs/chat/connections/{id}");
        await using var second = await TestClient.ConnectAsync(
            new Uri($"{uri}&awps_connection_id={id}&awps_reconnection_token={Uri.EscapeDataString(connected.GetProperty("reconnectionToken").GetString()!)}"));

        Assert.Equal(404, (int)exists.StatusCode);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await second.ReceiveCloseAsync());
    }

    [Fact]
    public async Task NormalCloseByTheClientIsFinal()
    {
        await using var relay = await RelayServer.StartAsync();
        var uri = relay.ClientUri();
        var first = await TestClient.ConnectAsync(uri);
        var connected = await first.ReceiveJsonAsync();
        var id = connected.GetProperty("connectionId").GetString()!;

        await first.CloseAsync(WebSocketCloseStatus.NormalClosure);
        await first.DisposeAsync();
        await using var second = await TestClient.ConnectAsync(
            new Uri($"{uri}&awps_connection_id={id}&awps_reconnection_token={Uri.EscapeDataString(connected.GetProperty("reconnectionToken").GetString()!)}"));

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await second.ReceiveCloseAsync());
    }

    [Fact]
    public async Task NonReliableConnectionIsGoneOnceItsSocketDrops()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await GroupTests.ConnectedAsync(relay, subprotocol: "json.webpubsub.azure.v1");
        var id = await relay.OnlyConnectionIdAsync();

        await relay.RestAsync(HttpMethod.Post, $"api/hubs/chat/connections/{id}/:drop");
        await relay.WaitForConnectionsAsync(0);
    }

    internal static async Task WaitDetachedAsync(RelayServer relay, string connectionId)
    {
        relay.Services.GetRequiredService<HubRegistry>().TryGet("chat", out var hub);
        for (var i = 0; i < 400 && hub!.Find(connectionId) is { IsAttached: true }; i++)
        {
            await Task.Delay(25);
        }

        Assert.False(hub!.Find(connectionId)?.IsAttached ?? false);
    }
}
