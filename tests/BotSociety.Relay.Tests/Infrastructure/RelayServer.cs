using System.Net.Http.Headers;
using BotSociety.Relay.Connections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotSociety.Relay.Tests.Infrastructure;

/// <summary>The relay, mounted the way a host mounts it, on a real Kestrel port chosen free on 127.0.0.1.</summary>
public sealed class RelayServer : IAsyncDisposable
{
    public const string AccessKey = "relay-tests-access-key-0123456789abcdefABCDEF=";

    private readonly WebApplication app;

    private RelayServer(WebApplication app, Uri baseUri)
    {
        this.app = app;
        BaseUri = baseUri;
        Http = new HttpClient { BaseAddress = baseUri };
    }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>The connection string names localhost on another port: the relay must accept either host in aud.</summary>
    public static async Task<RelayServer> StartAsync(Dictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var values = new Dictionary<string, string?>
        {
            ["Relay:ConnectionString"] = $"Endpoint=http://localhost;Port=7071;AccessKey={AccessKey};Version=1.0;",
            ["Relay:EnableTestEndpoints"] = "true",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddRelay(builder.Configuration);
        var app = builder.Build();
        app.MapRelay();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RelayServer(app, new Uri(address));
    }

    /// <summary>A client URL as the server SDK builds it: ws scheme, token audience with the http scheme.</summary>
    public Uri ClientUri(string hub = "chat", string? userId = null, string[]? roles = null, string[]? groups = null)
    {
        var token = Tokens.Create(new Uri(BaseUri, $"client/hubs/{hub}").ToString(), userId: userId, roles: roles, groups: groups);
        return WebSocketUri($"client/hubs/{hub}?access_token={token}");
    }

    public Uri WebSocketUri(string relative) => new UriBuilder(new Uri(BaseUri, relative)) { Scheme = "ws" }.Uri;

    /// <summary>A data-plane call signed as the SDK signs it: a fresh token whose aud is the full request URL.</summary>
    public async Task<HttpResponseMessage> RestAsync(HttpMethod method, string pathAndQuery, HttpContent? content = null, string key = AccessKey)
    {
        var separator = pathAndQuery.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var uri = new Uri(BaseUri, $"{pathAndQuery}{separator}api-version=2024-12-01");
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Create(uri.ToString(), key: key));
        return await Http.SendAsync(request);
    }

    /// <summary>A plain client sees no connected message; this waits until the relay has it in the hub.</summary>
    public async Task WaitForConnectionsAsync(int count, string hub = "chat")
    {
        var registry = app.Services.GetRequiredService<HubRegistry>();
        registry.TryGet(hub, out var found);
        for (var i = 0; i < 400 && found!.All().Count != count; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(count, found!.All().Count);
    }

    public async Task<string> OnlyConnectionIdAsync(string hub = "chat")
    {
        await WaitForConnectionsAsync(1, hub);
        app.Services.GetRequiredService<HubRegistry>().TryGet(hub, out var found);
        return found!.All().Single().Id;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
