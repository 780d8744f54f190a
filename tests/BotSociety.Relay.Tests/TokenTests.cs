using BotSociety.Relay.Tests.Infrastructure;

namespace BotSociety.Relay.Tests;

/// <summary>Every refusal of a new connection is an HTTP status before the upgrade, never an accept-then-close.</summary>
public sealed class TokenTests
{
    [Fact]
    public async Task ValidTokenUpgrades()
    {
        await using var relay = await RelayServer.StartAsync();
        await using var client = await TestClient.ConnectAsync(relay.ClientUri(userId: "u1"));

        var connected = await client.ReceiveJsonAsync();

        Assert.Equal("connected", connected.GetProperty("event").GetString());
        Assert.Equal("u1", connected.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task MissingTokenIsRefusedWith401()
    {
        await using var relay = await RelayServer.StartAsync();

        Assert.Equal(401, await TestClient.RefusalStatusAsync(relay.WebSocketUri("client/hubs/chat")));
    }

    [Fact]
    public async Task ExpiredTokenIsRefusedWith401()
    {
        await using var relay = await RelayServer.StartAsync();
        var token = Tokens.Create(new Uri(relay.BaseUri, "client/hubs/chat").ToString(), expires: TimeProvider.System.GetUtcNow().AddHours(-1));

        Assert.Equal(401, await TestClient.RefusalStatusAsync(relay.WebSocketUri($"client/hubs/chat?access_token={token}")));
    }

    [Theory]
    [InlineData(120)]
    [InlineData(35)]
    public async Task ATokenPastItsExpiryByMoreThan30SecondsIsRefused(int secondsPast)
    {
        await using var relay = await RelayServer.StartAsync();
        var token = Tokens.Create(new Uri(relay.BaseUri, "client/hubs/chat").ToString(), expires: TimeProvider.System.GetUtcNow().AddSeconds(-secondsPast));

        Assert.Equal(401, await TestClient.RefusalStatusAsync(relay.WebSocketUri($"client/hubs/chat?access_token={token}")));
    }

    [Fact]
    public async Task ATokenPastItsExpiryByLessThanTheClockSkewIsAccepted()
    {
        await using var relay = await RelayServer.StartAsync();
        var token = Tokens.Create(new Uri(relay.BaseUri, "client/hubs/chat").ToString(), expires: TimeProvider.System.GetUtcNow().AddSeconds(-15));
        await using var client = await TestClient.ConnectAsync(relay.WebSocketUri($"client/hubs/chat?access_token={token}"));

        Assert.Equal("connected", (await client.ReceiveJsonAsync()).GetProperty("event").GetString());
    }

    [Fact]
    public async Task TokenNotValidYetIsRefusedWith401()
    {
        await using var relay = await RelayServer.StartAsync();
        var token = Tokens.Create(new Uri(relay.BaseUri, "client/hubs/chat").ToString(), notBefore: TimeProvider.System.GetUtcNow().AddHours(1));

        Assert.Equal(401, await TestClient.RefusalStatusAsync(relay.WebSocketUri($"client/hubs/chat?access_token={token}")));
    }

    [Fact]
    public async Task TokenSignedWithAnotherKeyIsRefusedWith401()
    {
        await using var relay = await RelayServer.StartAsync();
        var token = Tokens.Create(new Uri(relay.BaseUri, "client/hubs/chat").ToString(), key: "another-key-that-is-long-enough-0123456789=");

        Assert.Equal(401, await TestClient.RefusalStatusAsync(relay.WebSocketUri($"client/hubs/chat?access_token={token}")));
    }

    [Fact]
    public async Task TokenWithAnotherAlgorithmIsRefusedWith401()
    {
        await using var relay = await RelayServer.StartAsync();
        var token = Tokens.Create(new Uri(relay.BaseUri, "client/hubs/chat").ToString(), algorithm: "none");

        Assert.Equal(401, await TestClient.RefusalStatusAsync(relay.WebSocketUri($"client/hubs/chat?access_token={token}")));
    }

    [Fact]
    public async Task TokenForAnotherHubIsRefusedWith401()
    {
        await using var relay = await RelayServer.StartAsync();
        var token = Tokens.Create(new Uri(relay.BaseUri, "client/hubs/other").ToString());

        Assert.Equal(401, await TestClient.RefusalStatusAsync(relay.WebSocketUri($"client/hubs/chat?access_token={token}")));
    }

    [Fact]
    public async Task TokenForAnotherHostIsRefusedWith401()
    {
        await using var relay = await RelayServer.StartAsync();
        var token = Tokens.Create("http://elsewhere.example/client/hubs/chat");

        Assert.Equal(401, await TestClient.RefusalStatusAsync(relay.WebSocketUri($"client/hubs/chat?access_token={token}")));
    }

    [Fact]
    public async Task AudienceOfTheConfiguredEndpointIsAcceptedBehindAnotherAddress()
    {
        await using var relay = await RelayServer.StartAsync();
        var token = Tokens.Create("http://localhost:7071/client/hubs/CHAT");

        await using var client = await TestClient.ConnectAsync(relay.WebSocketUri($"client/hubs/chat?access_token={token}"));

        Assert.Equal("connected", (await client.ReceiveJsonAsync()).GetProperty("event").GetString());
    }

    [Fact]
    public async Task HubOutsideTheConfiguredListIsRefusedWith404()
    {
        await using var relay = await RelayServer.StartAsync(new() { ["Relay:Hubs:0"] = "chat" });

        Assert.Equal(404, await TestClient.RefusalStatusAsync(relay.ClientUri(hub: "other")));
        Assert.Equal(404, (int)(await relay.RestAsync(HttpMethod.Post, "api/hubs/other/:send", new StringContent("x"))).StatusCode);
    }

    [Fact]
    public async Task InvalidHubNameIsRefusedWith400()
    {
        await using var relay = await RelayServer.StartAsync();

        Assert.Equal(400, await TestClient.RefusalStatusAsync(relay.ClientUri(hub: "9lives")));
    }

    [Fact]
    public async Task RestCallWithoutTokenIs401()
    {
        await using var relay = await RelayServer.StartAsync();

        using var response = await relay.Http.PostAsync("api/hubs/chat/:send?api-version=2024-12-01", new StringContent("x"));

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("Unauthorized", response.Headers.GetValues("x-ms-error-code").Single());
    }

    [Fact]
    public async Task RestCallSignedWithAnotherKeyIs401()
    {
        await using var relay = await RelayServer.StartAsync();

        using var response = await relay.RestAsync(HttpMethod.Post, "api/hubs/chat/:send", new StringContent("x"), key: "another-key-that-is-long-enough-0123456789=");

        Assert.Equal(401, (int)response.StatusCode);
    }

    [Fact]
    public async Task RestTokenForAnotherPathIs401()
    {
        await using var relay = await RelayServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/hubs/chat/:send") { Content = new StringContent("x") };
        request.Headers.Authorization = new("Bearer", Tokens.Create(new Uri(relay.BaseUri, "api/hubs/other/:send").ToString()));

        using var response = await relay.Http.SendAsync(request);

        Assert.Equal(401, (int)response.StatusCode);
    }
}
