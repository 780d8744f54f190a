using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using BotSociety.DevHost.Tests.EndToEnd;

namespace BotSociety.Functions.Tests;

/// <summary>
/// The live stream as ./run.sh gives it: devhost mounts the relay on its own port (the connection string names that
/// port), the worker publishes every heartbeat to it, and a client that connected with the address from
/// /api/negotiate receives each one.
/// </summary>
public sealed class LiveStreamTests : IAsyncLifetime
{
    private SocietyDatabase? society;
    private DevHostProcess? devHost;

    public async Task InitializeAsync()
    {
        // The connection string names devhost's own address, so devhost mounts the relay and the worker publishes to it.
        var port = DevHostProcess.FreePort();
        society = await SocietyDatabase.CreateAsync(new Dictionary<string, string>
        {
            ["Realtime__ConnectionString"] = $"Endpoint=http://localhost;Port={port};AccessKey=live-stream-test-key-0123456789abcdef;Version=1.0;",
        });
        devHost = DevHostProcess.StartOnPort(port, society.Folder.SettingsPath);
        await devHost.WaitUntilHealthyAsync();
    }

    [Fact]
    public async Task EveryHeartbeatReachesAConnectedClient()
    {
        var http = devHost!.Http;
        using var negotiate = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/negotiate", UriKind.Relative)));
        var url = new Uri(negotiate.RootElement.GetProperty("url").GetString()!);
        Assert.Equal($"ws://localhost:{devHost.Port}/client/hubs/society", url.GetLeftPart(UriPartial.Path));

        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("json.webpubsub.azure.v1");
        await socket.ConnectAsync(url, CancellationToken.None);
        using (var connected = await ReceiveAsync(socket))
        {
            Assert.Equal("system", connected.RootElement.GetProperty("type").GetString());
            Assert.Equal("connected", connected.RootElement.GetProperty("event").GetString());
        }

        await society!.MakeEveryBotDueAsync();
        using var run = await http.PostAsync(new Uri("/admin/functions/Heartbeat", UriKind.Relative), content: null);
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);

        using var feed = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/activity?limit=200", UriKind.Relative)));
        var rows = feed.RootElement.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("event_id").GetString()).Reverse().ToList();
        Assert.NotEmpty(rows);
        var received = new List<string?>();
        while (received.Count < rows.Count)
        {
            using var message = await ReceiveAsync(socket);
            Assert.Equal("message", message.RootElement.GetProperty("type").GetString());
            var data = message.RootElement.GetProperty("data");
            Assert.Equal("heartbeat_complete", data.GetProperty("type").GetString());
            received.Add(data.GetProperty("id").GetString());
        }

        // Every activity row arrived once, in the order it was written.
        Assert.Equal(rows, received);
        using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/health", UriKind.Relative)));
        Assert.Equal(rows.Count, health.RootElement.GetProperty("realtime").GetProperty("events_published").GetInt32());
    }

    [Fact]
    public async Task ABadTokenIsRefusedBeforeTheUpgrade()
    {
        using var socket = new ClientWebSocket();
        var url = new Uri($"ws://localhost:{devHost!.Port}/client/hubs/society?access_token=not-a-token");

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(url, CancellationToken.None));

        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (devHost is not null)
        {
            await devHost.DisposeAsync();
        }

        if (society is not null)
        {
            await society.DisposeAsync();
        }
    }

    private static async Task<JsonDocument> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray()));
    }
}
