using System.Net.WebSockets;
using System.Text;
using BotSociety.Relay.Tests.Infrastructure;

namespace BotSociety.Relay.Tests;

/// <summary>Limits and protocol violations end the connection with the close code the rule book names.</summary>
public sealed class LimitTests
{
    [Fact]
    public async Task OversizedClientMessageClosesWith1009()
    {
        await using var relay = await RelayServer.StartAsync(new() { ["Relay:MaxMessageSizeBytes"] = "4096" });
        await using var client = await GroupTests.ConnectedAsync(relay);

        await client.SendTextAsync($"{{\"type\":\"event\",\"event\":\"e\",\"dataType\":\"text\",\"data\":\"{new string('x', 8192)}\"}}");

        Assert.Equal("disconnected", (await client.ReceiveAsync("system")).GetProperty("event").GetString());
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await client.ReceiveCloseAsync());
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"type\":\"teleport\"}")]
    [InlineData("{\"type\":\"sendToGroup\",\"group\":\"g\",\"dataType\":\"binary\",\"data\":\"%%%\"}")]
    public async Task GarbageClosesWith1007(string garbage)
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await GroupTests.ConnectedAsync(relay, roles: ["webpubsub.sendToGroup"]);

        await client.SendTextAsync(garbage);

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task BinaryFrameOnAJsonSubprotocolClosesWith1003()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await GroupTests.ConnectedAsync(relay);

        await client.SendBinaryAsync(Encoding.UTF8.GetBytes("{\"type\":\"ping\"}"));

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task FullUnacknowledgedBufferClosesWith1008AndRefusesRecovery()
    {
        await using var relay = await RelayServer.StartAsync(new() { ["Relay:MaxUnacknowledgedMessages"] = "5" });
        var uri = relay.ClientUri();
        await using var client = await TestClient.ConnectAsync(uri);
        var connected = await client.ReceiveJsonAsync();
        var id = connected.GetProperty("connectionId").GetString()!;

        for (var i = 0; i < 6; i++)
        {
            await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", GroupTests.Text($"m{i}"));
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.ReceiveCloseAsync());
        await using var recovery = await TestClient.ConnectAsync(
            new Uri($"{uri}&awps_connection_id={id}&awps_reconnection_token={Uri.EscapeDataString(connected.GetProperty("reconnectionToken").GetString()!)}"));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await recovery.ReceiveCloseAsync());
    }

    [Fact]
    public async Task AcknowledgedMessagesFreeTheBuffer()
    {
        await using var relay = await RelayServer.StartAsync(new() { ["Relay:MaxUnacknowledgedMessages"] = "2" });
        await using var client = await GroupTests.ConnectedAsync(relay);

        for (var i = 1; i <= 6; i++)
        {
            await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", GroupTests.Text($"m{i}"));
            var message = await client.ReceiveAsync("message");
            await client.SendJsonAsync(new { type = "sequenceAck", sequenceId = message.GetProperty("sequenceId").GetInt64() });
            await client.SendJsonAsync(new { type = "ping" });
            await client.ReceiveAsync("pong");
        }

        await client.SendJsonAsync(new { type = "ping" });
        Assert.Equal("pong", (await client.ReceiveJsonAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task ConnectionsBeyondTheMaximumAreRefusedWith429()
    {
        await using var relay = await RelayServer.StartAsync(new() { ["Relay:MaxConnections"] = "1" });
        await using var first = await GroupTests.ConnectedAsync(relay);

        Assert.Equal(429, await TestClient.RefusalStatusAsync(relay.ClientUri()));
    }
}
