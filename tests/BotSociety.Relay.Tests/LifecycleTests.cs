using System.Net.WebSockets;
using BotSociety.Relay.Tests.Infrastructure;

namespace BotSociety.Relay.Tests;

/// <summary>Other ways in, and the ways a connection ends that are neither the client's nor a limit's.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task HubInTheQueryAndTokenInTheHeaderAreAccepted()
    {
        await using var relay = await RelayServer.StartAsync();
        var token = Tokens.Create(new Uri(relay.BaseUri, "client/hubs/chat").ToString(), userId: "header");
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        socket.Options.AddSubProtocol("json.webpubsub.azure.v1");

        await socket.ConnectAsync(relay.WebSocketUri("client?hub=chat"), CancellationToken.None);
        var id = await relay.OnlyConnectionIdAsync();
        using var exists = await relay.RestAsync(HttpMethod.Head, "api/hubs/chat/users/header");

        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(200, (int)exists.StatusCode);
    }

    [Fact]
    public async Task StoppingTheHostClosesConnectionsAsGoingAway()
    {
        var relay = await RelayServer.StartAsync();
        await using var client = await GroupTests.ConnectedAsync(relay);

        var stopping = relay.DisposeAsync();
        var status = await client.ReceiveCloseAsync();
        await stopping;

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
    }

    [Fact]
    public async Task RestCloseOfADroppedConnectionEndsItsRecovery()
    {
        await using var relay = await RelayServer.StartAsync();
        var uri = relay.ClientUri();
        await using var first = await TestClient.ConnectAsync(uri);
        var connected = await first.ReceiveJsonAsync();
        var id = connected.GetProperty("connectionId").GetString()!;
        await relay.RestAsync(HttpMethod.Post, $"api/hubs/chat/connections/{id}/:drop");
        await ReliableTests.WaitDetachedAsync(relay, id);

        using var close = await relay.RestAsync(HttpMethod.Delete, $"api/hubs/chat/connections/{id}");
        await using var second = await TestClient.ConnectAsync(
            new Uri($"{uri}&awps_connection_id={id}&awps_reconnection_token={Uri.EscapeDataString(connected.GetProperty("reconnectionToken").GetString()!)}"));

        Assert.Equal(204, (int)close.StatusCode);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await second.ReceiveCloseAsync());
    }

    [Fact]
    public async Task ClosedConnectionsFreeTheirSlots()
    {
        await using var relay = await RelayServer.StartAsync(new() { ["Relay:MaxConnections"] = "1" });
        var first = await GroupTests.ConnectedAsync(relay);
        await first.CloseAsync();
        await first.DisposeAsync();
        await relay.WaitForConnectionsAsync(0);

        await using var second = await GroupTests.ConnectedAsync(relay);
    }
}
