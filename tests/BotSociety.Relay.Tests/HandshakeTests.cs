using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using BotSociety.Relay.Tests.Infrastructure;

namespace BotSociety.Relay.Tests;

public sealed class HandshakeTests
{
    [Fact]
    public async Task ReliableSubprotocolIsEchoedAndConnectedCarriesAReconnectionToken()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(relay.ClientUri(userId: "u1"), "json.reliable.webpubsub.azure.v1");

        var connected = await client.ReceiveJsonAsync();

        Assert.Equal("json.reliable.webpubsub.azure.v1", client.SubProtocol);
        Assert.Equal("system", connected.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(connected.GetProperty("connectionId").GetString()));
        Assert.False(string.IsNullOrEmpty(connected.GetProperty("reconnectionToken").GetString()));
    }

    [Fact]
    public async Task JsonSubprotocolGetsConnectedWithoutReconnectionTokenOrSequenceIds()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(relay.ClientUri(), "json.webpubsub.azure.v1");
        var connected = await client.ReceiveJsonAsync();

        using var response = await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", new StringContent("hi", Encoding.UTF8, "text/plain"));
        var message = await client.ReceiveJsonAsync();

        Assert.Equal("json.webpubsub.azure.v1", client.SubProtocol);
        Assert.False(connected.TryGetProperty("reconnectionToken", out _));
        Assert.Equal(JsonValueKind.Null, connected.GetProperty("userId").ValueKind);
        Assert.Equal("hi", message.GetProperty("data").GetString());
        Assert.False(message.TryGetProperty("sequenceId", out _));
    }

    [Fact]
    public async Task PlainClientGetsBarePayloadsInTextAndBinaryFrames()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(relay.ClientUri(), subprotocol: null);
        await relay.WaitForConnectionsAsync(1);

        await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", new StringContent("{\"a\":1}", Encoding.UTF8, "application/json"));
        await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new("application/octet-stream") } });
        var json = await client.ReceiveFrameAsync();
        var binary = await client.ReceiveFrameAsync();

        Assert.Null(client.SubProtocol);
        Assert.Equal((WebSocketMessageType.Text, "{\"a\":1}"), (json.Type, Encoding.UTF8.GetString(json.Bytes)));
        Assert.Equal(WebSocketMessageType.Binary, binary.Type);
        Assert.Equal([1, 2, 3], binary.Bytes);
    }

    [Fact]
    public async Task PlainHttpRequestToTheClientEndpointIs400()
    {
        await using var relay = await RelayServer.StartAsync();

        using var response = await relay.Http.GetAsync("client/hubs/chat");

        Assert.Equal(400, (int)response.StatusCode);
    }

    [Fact]
    public async Task PingIsAnsweredWithPong()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(relay.ClientUri());
        await client.ReceiveJsonAsync();

        await client.SendJsonAsync(new { type = "ping" });

        Assert.Equal("pong", (await client.ReceiveJsonAsync()).GetProperty("type").GetString());
    }
}
