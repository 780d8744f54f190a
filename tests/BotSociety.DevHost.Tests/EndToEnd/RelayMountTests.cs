using System.Net.WebSockets;
using System.Text.Json;

namespace BotSociety.DevHost.Tests.EndToEnd;

/// <summary>
/// The live stream's relay as a user meets it: on devhost's own port when the settings name that port, and left
/// to a relay elsewhere (one shared by several devhosts) when they name another.
/// </summary>
public sealed class RelayMountTests
{
    private const string Key = "relay-mount-test-key-0123456789abcdef0123";

    [Fact]
    public async Task SettingsNamingDevHostsPortGetTheRelayOnDevHost()
    {
        var port = DevHostProcess.FreePort();
        using var society = new SocietyFolder(extraValues: new Dictionary<string, string>
        {
            ["Realtime__ConnectionString"] = $"Endpoint=http://localhost;Port={port};AccessKey={Key};Version=1.0;",
        });
        await using var devHost = DevHostProcess.StartOnPort(port, society.SettingsPath);
        await devHost.WaitUntilHealthyAsync();

        var refused = await ConnectWithABadTokenAsync(devHost.Port);
        using var negotiate = JsonDocument.Parse(await devHost.Http.GetStringAsync(new Uri("/api/negotiate", UriKind.Relative)));

        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
        Assert.StartsWith($"ws://localhost:{port}/client/hubs/society", negotiate.RootElement.GetProperty("url").GetString(), StringComparison.Ordinal);

        // A browser that reached the app by another name (another machine, a LAN address) is sent back there, never to localhost.
        Assert.StartsWith($"ws://society.test:{port}/client/hubs/society", await NegotiatedUrlAsync(devHost, $"society.test:{port}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingsNamingAnotherPortLeaveTheRelayThereAndTellTheWorkerSo()
    {
        var sharedRelay = DevHostProcess.FreePort();
        using var society = new SocietyFolder(extraValues: new Dictionary<string, string>
        {
            ["Realtime__ConnectionString"] = $"Endpoint=http://localhost:{sharedRelay};AccessKey={Key};Version=1.0;",
        });
        await using var devHost = DevHostProcess.Start(society.SettingsPath);
        await devHost.WaitUntilHealthyAsync();

        var refused = await ConnectWithABadTokenAsync(devHost.Port);
        using var negotiate = JsonDocument.Parse(await devHost.Http.GetStringAsync(new Uri("/api/negotiate", UriKind.Relative)));

        Assert.Contains("404", refused.Message, StringComparison.Ordinal);
        Assert.StartsWith($"ws://localhost:{sharedRelay}/client/hubs/society", negotiate.RootElement.GetProperty("url").GetString(), StringComparison.Ordinal);

        // The relay beside devhost is on the same machine as the app the browser reached: that host, the relay's port.
        Assert.StartsWith($"ws://society.test:{sharedRelay}/client/hubs/society",
            await NegotiatedUrlAsync(devHost, $"society.test:{devHost.Port}"), StringComparison.Ordinal);
        await devHost.WaitForLineAsync($"not this devhost (port {devHost.Port}): no relay is mounted here");
    }

    /// <summary>The WebSocket address negotiate answers a request that names <paramref name="host"/> in its Host header.</summary>
    private static async Task<string> NegotiatedUrlAsync(DevHostProcess devHost, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/negotiate", UriKind.Relative));
        request.Headers.Host = host;
        using var response = await devHost.Http.SendAsync(request);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return answer.RootElement.GetProperty("url").GetString()!;
    }

    /// <summary>A client at devhost's hub address: the relay refuses the token (401); without a relay there is no such path (404).</summary>
    private static async Task<WebSocketException> ConnectWithABadTokenAsync(int port)
    {
        using var socket = new ClientWebSocket();
        return await Assert.ThrowsAsync<WebSocketException>(() =>
            socket.ConnectAsync(new Uri($"ws://localhost:{port}/client/hubs/society?access_token=not-a-token"), CancellationToken.None));
    }
}
