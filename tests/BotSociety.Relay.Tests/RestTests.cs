using System.Net.WebSockets;
using System.Text;
using BotSociety.Relay.Tests.Infrastructure;

namespace BotSociety.Relay.Tests;

/// <summary>The data plane answers exactly the statuses the server SDK accepts, whether or not anyone is there.</summary>
public sealed class RestTests
{
    [Theory]
    [InlineData("POST", "api/hubs/chat/:send", 202)]
    [InlineData("POST", "api/hubs/chat/groups/nobody/:send", 202)]
    [InlineData("POST", "api/hubs/chat/users/nobody/:send", 202)]
    [InlineData("POST", "api/hubs/chat/connections/nobody/:send", 202)]
    [InlineData("POST", "api/hubs/chat/:closeConnections", 204)]
    [InlineData("POST", "api/hubs/chat/groups/g1/:closeConnections", 204)]
    [InlineData("POST", "api/hubs/chat/users/u1/:closeConnections", 204)]
    [InlineData("DELETE", "api/hubs/chat/connections/nobody", 204)]
    [InlineData("HEAD", "api/hubs/chat/connections/nobody", 404)]
    [InlineData("HEAD", "api/hubs/chat/groups/nobody", 404)]
    [InlineData("HEAD", "api/hubs/chat/users/nobody", 404)]
    [InlineData("PUT", "api/hubs/chat/groups/g1/connections/nobody", 404)]
    [InlineData("DELETE", "api/hubs/chat/groups/g1/connections/nobody", 204)]
    [InlineData("PUT", "api/hubs/chat/users/u%201%2F%C3%A4/groups/g1", 200)]
    [InlineData("DELETE", "api/hubs/chat/users/u1/groups/g1", 204)]
    [InlineData("DELETE", "api/hubs/chat/users/u1/groups", 204)]
    [InlineData("DELETE", "api/hubs/chat/connections/nobody/groups", 204)]
    [InlineData("PUT", "api/hubs/chat/permissions/sendToGroup/connections/nobody", 404)]
    [InlineData("DELETE", "api/hubs/chat/permissions/sendToGroup/connections/nobody", 204)]
    [InlineData("HEAD", "api/hubs/chat/permissions/sendToGroup/connections/nobody", 404)]
    [InlineData("PUT", "api/hubs/chat/permissions/fly/connections/nobody", 400)]
    [InlineData("GET", "api/hubs/chat/groups/g1/connections", 200)]
    public async Task EachOperationAnswersItsStatusWithNobodyConnected(string method, string path, int status)
    {
        await using var relay = await RelayServer.StartAsync();
        var content = method == "POST" && path.EndsWith(":send", StringComparison.Ordinal) ? GroupTests.Text("x") : null;

        using var response = await relay.RestAsync(new HttpMethod(method), path, content);

        Assert.Equal(status, (int)response.StatusCode);
    }

    [Fact]
    public async Task AllThreeContentTypesArriveAsTheirDataType()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await GroupTests.ConnectedAsync(relay);

        await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", new StringContent("\"hi\"", Encoding.UTF8, "application/json"));
        await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", GroupTests.Text("plain"));
        await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", new ByteArrayContent([0, 255]) { Headers = { ContentType = new("application/octet-stream") } });
        var json = await client.ReceiveAsync("message");
        var text = await client.ReceiveAsync("message");
        var binary = await client.ReceiveAsync("message");

        Assert.Equal(("json", "hi"), (json.GetProperty("dataType").GetString(), json.GetProperty("data").GetString()));
        Assert.Equal(("text", "plain"), (text.GetProperty("dataType").GetString(), text.GetProperty("data").GetString()));
        Assert.Equal(("binary", Convert.ToBase64String([0, 255])), (binary.GetProperty("dataType").GetString(), binary.GetProperty("data").GetString()));
        Assert.Equal("server", binary.GetProperty("from").GetString());
    }

    [Fact]
    public async Task ExcludedConnectionsAndFiltersNarrowASend()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var a = await GroupTests.ConnectedAsync(relay, userId: "a");
        await using var b = await GroupTests.ConnectedAsync(relay, userId: "b");
        await using var c = await GroupTests.ConnectedAsync(relay, userId: "c");
        await relay.WaitForConnectionsAsync(3);
        var aId = FindId(relay, "a");

        await relay.RestAsync(HttpMethod.Post, $"api/hubs/chat/:send?excluded={aId}&filter={Uri.EscapeDataString("userId ne 'b'")}", GroupTests.Text("first"));
        await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", GroupTests.Text("second"));

        Assert.Equal("second", (await a.ReceiveAsync("message")).GetProperty("data").GetString());
        Assert.Equal("second", (await b.ReceiveAsync("message")).GetProperty("data").GetString());
        Assert.Equal("first", (await c.ReceiveAsync("message")).GetProperty("data").GetString());
    }

    [Fact]
    public async Task MembershipCallsChangeWhatExists()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await GroupTests.ConnectedAsync(relay, userId: "u1");
        var id = await relay.OnlyConnectionIdAsync();

        using var add = await relay.RestAsync(HttpMethod.Put, $"api/hubs/chat/groups/g%2F1/connections/{id}");
        using var groupExists = await relay.RestAsync(HttpMethod.Head, "api/hubs/chat/groups/g%2F1");
        using var userExists = await relay.RestAsync(HttpMethod.Head, "api/hubs/chat/users/u1");
        using var list = await relay.RestAsync(HttpMethod.Get, "api/hubs/chat/groups/g%2F1/connections");
        await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/groups/g%2F1/:send", GroupTests.Text("to g/1"));
        var message = await client.ReceiveAsync("message");
        using var remove = await relay.RestAsync(HttpMethod.Delete, $"api/hubs/chat/connections/{id}/groups");
        using var groupGone = await relay.RestAsync(HttpMethod.Head, "api/hubs/chat/groups/g%2F1");

        Assert.Equal(200, (int)add.StatusCode);
        Assert.Equal(200, (int)groupExists.StatusCode);
        Assert.Equal(200, (int)userExists.StatusCode);
        Assert.Contains(id, await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("g/1", message.GetProperty("group").GetString());
        Assert.Equal(204, (int)remove.StatusCode);
        Assert.Equal(404, (int)groupGone.StatusCode);
    }

    [Fact]
    public async Task UserAddedToAGroupTakesItToLaterConnections()
    {
        await using var relay = await RelayServer.StartAsync();
        using var add = await relay.RestAsync(HttpMethod.Put, "api/hubs/chat/users/u1/groups/g1");
        await using var client = await GroupTests.ConnectedAsync(relay, userId: "u1");

        await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/groups/g1/:send", GroupTests.Text("hello"));

        Assert.Equal("hello", (await client.ReceiveAsync("message")).GetProperty("data").GetString());
    }

    [Fact]
    public async Task AddToGroupsByFilterJoinsTheMatchingConnections()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await GroupTests.ConnectedAsync(relay, userId: "u1", groups: ["a"]);

        using var response = await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:addToGroups",
            new StringContent("{\"groups\":[\"b\"],\"filter\":\"'a' in groups and not(userId eq null)\"}", Encoding.UTF8, "application/json"));
        using var exists = await relay.RestAsync(HttpMethod.Head, "api/hubs/chat/groups/b");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(200, (int)exists.StatusCode);
    }

    [Fact]
    public async Task CloseSendsDisconnectedWithTheReasonThenCloses1000()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await GroupTests.ConnectedAsync(relay);
        var id = await relay.OnlyConnectionIdAsync();

        using var response = await relay.RestAsync(HttpMethod.Delete, $"api/hubs/chat/connections/{id}?reason=bye");
        var disconnected = await client.ReceiveAsync("system");

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal(("disconnected", "bye"), (disconnected.GetProperty("event").GetString(), disconnected.GetProperty("message").GetString()));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task MalformedBodiesAreRefused()
    {
        await using var relay = await RelayServer.StartAsync(new() { ["Relay:MaxMessageSizeBytes"] = "2048" });

        using var badJson = await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", new StringContent("{nope", Encoding.UTF8, "application/json"));
        using var tooBig = await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", GroupTests.Text(new string('x', 4096)));
        using var unknownType = await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", new StringContent("x", Encoding.UTF8, "image/png"));
        using var badFilter = await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send?filter=userId%20likes%20me", GroupTests.Text("x"));

        Assert.Equal(400, (int)badJson.StatusCode);
        Assert.Equal(413, (int)tooBig.StatusCode);
        Assert.Equal(415, (int)unknownType.StatusCode);
        Assert.Equal(400, (int)badFilter.StatusCode);
        Assert.Contains("\"code\":\"BadRequest\"", await badJson.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string FindId(RelayServer relay, string userId)
    {
        var registry = (Connections.HubRegistry)relay.Services.GetService(typeof(Connections.HubRegistry))!;
        registry.TryGet("chat", out var hub);
        return hub!.OfUser(userId).Single().Id;
    }
}
