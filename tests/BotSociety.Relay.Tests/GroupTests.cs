using BotSociety.Relay.Tests.Infrastructure;

namespace BotSociety.Relay.Tests;

/// <summary>Groups through the client protocol, with the token's roles deciding what a connection may do.</summary>
public sealed class GroupTests
{
    [Fact]
    public async Task JoinWithoutARoleIsAcknowledgedAsForbidden()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await ConnectedAsync(relay);

        await client.SendJsonAsync(new { type = "joinGroup", group = "g1", ackId = 1 });
        var ack = await client.ReceiveAsync("ack");

        Assert.False(ack.GetProperty("success").GetBoolean());
        Assert.Equal("Forbidden", ack.GetProperty("error").GetProperty("name").GetString());
    }

    [Fact]
    public async Task GroupScopedRoleAllowsOnlyThatGroup()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await ConnectedAsync(relay, roles: ["webpubsub.joinLeaveGroup.g1"]);

        await client.SendJsonAsync(new { type = "joinGroup", group = "g1", ackId = 1 });
        var allowed = await client.ReceiveAsync("ack");
        await client.SendJsonAsync(new { type = "joinGroup", group = "g2", ackId = 2 });
        var refused = await client.ReceiveAsync("ack");

        Assert.True(allowed.GetProperty("success").GetBoolean());
        Assert.False(refused.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task GroupMessageReachesMembersWithSenderAndSequenceId()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var member = await ConnectedAsync(relay, userId: "reader", groups: ["g1"]);
        await using var sender = await ConnectedAsync(relay, userId: "writer", roles: ["webpubsub.sendToGroup"]);

        await sender.SendJsonAsync(new { type = "sendToGroup", group = "g1", ackId = 7, noEcho = false, dataType = "json", data = new { a = 1 } });
        var ack = await sender.ReceiveAsync("ack");
        var message = await member.ReceiveAsync("message");

        Assert.Equal(7, ack.GetProperty("ackId").GetInt64());
        Assert.True(ack.GetProperty("success").GetBoolean());
        Assert.Equal("group", message.GetProperty("from").GetString());
        Assert.Equal("g1", message.GetProperty("group").GetString());
        Assert.Equal("writer", message.GetProperty("fromUserId").GetString());
        Assert.Equal(1, message.GetProperty("data").GetProperty("a").GetInt32());
        Assert.Equal(1, message.GetProperty("sequenceId").GetInt64());
    }

    [Fact]
    public async Task NoEchoKeepsTheMessageFromItsSender()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await ConnectedAsync(relay, roles: ["webpubsub.sendToGroup", "webpubsub.joinLeaveGroup"], groups: ["g1"]);

        await client.SendJsonAsync(new { type = "sendToGroup", group = "g1", ackId = 1, noEcho = true, dataType = "text", data = "quiet" });
        await client.SendJsonAsync(new { type = "sendToGroup", group = "g1", ackId = 2, noEcho = false, dataType = "text", data = "loud" });

        var first = await client.ReceiveJsonAsync();
        var second = await client.ReceiveJsonAsync();
        var third = await client.ReceiveJsonAsync();
        Assert.Equal(["ack", "ack", "message"], new[] { first, second, third }.Select(m => m.GetProperty("type").GetString()));
        Assert.Equal("loud", third.GetProperty("data").GetString());
    }

    [Fact]
    public async Task LeftGroupNoLongerReceives()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await ConnectedAsync(relay, roles: ["webpubsub.joinLeaveGroup"]);
        await client.SendJsonAsync(new { type = "joinGroup", group = "g1", ackId = 1 });
        await client.ReceiveAsync("ack");
        await client.SendJsonAsync(new { type = "leaveGroup", group = "g1", ackId = 2 });
        await client.ReceiveAsync("ack");

        await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/groups/g1/:send", Text("to group"));
        await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", Text("to all"));

        Assert.Equal("to all", (await client.ReceiveAsync("message")).GetProperty("data").GetString());
    }

    [Fact]
    public async Task RepeatedAckIdIsAcknowledgedAsDuplicate()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await ConnectedAsync(relay, roles: ["webpubsub.joinLeaveGroup"]);

        await client.SendJsonAsync(new { type = "joinGroup", group = "g1", ackId = 5 });
        var first = await client.ReceiveAsync("ack");
        await client.SendJsonAsync(new { type = "joinGroup", group = "g1", ackId = 5 });
        var second = await client.ReceiveAsync("ack");

        Assert.True(first.GetProperty("success").GetBoolean());
        Assert.False(second.GetProperty("success").GetBoolean());
        Assert.Equal("Duplicate", second.GetProperty("error").GetProperty("name").GetString());
    }

    [Fact]
    public async Task EventWithoutUpstreamIsStillAcknowledged()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await ConnectedAsync(relay);

        await client.SendJsonAsync(new { type = "event", @event = "ev", ackId = 3, dataType = "text", data = "x" });

        Assert.True((await client.ReceiveAsync("ack")).GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task PermissionGrantedThroughRestLetsTheConnectionSend()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await ConnectedAsync(relay);
        var id = await relay.OnlyConnectionIdAsync();

        using var grant = await relay.RestAsync(HttpMethod.Put, $"api/hubs/chat/permissions/sendToGroup/connections/{id}?targetName=g9");
        using var has = await relay.RestAsync(HttpMethod.Head, $"api/hubs/chat/permissions/sendToGroup/connections/{id}?targetName=g9");
        await client.SendJsonAsync(new { type = "sendToGroup", group = "g9", ackId = 1, noEcho = false, dataType = "text", data = "x" });

        Assert.Equal(200, (int)grant.StatusCode);
        Assert.Equal(200, (int)has.StatusCode);
        Assert.True((await client.ReceiveAsync("ack")).GetProperty("success").GetBoolean());
    }

    internal static StringContent Text(string text) => new(text, System.Text.Encoding.UTF8, "text/plain");

    internal static async Task<TestClient> ConnectedAsync(RelayServer relay, string? userId = null, string[]? roles = null, string[]? groups = null, string subprotocol = "json.reliable.webpubsub.azure.v1")
    {
        var client = await TestClient.ConnectAsync(relay.ClientUri(userId: userId, roles: roles, groups: groups), subprotocol);
        Assert.Equal("connected", (await client.ReceiveJsonAsync()).GetProperty("event").GetString());
        return client;
    }
}
