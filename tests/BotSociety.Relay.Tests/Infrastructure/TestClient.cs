using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace BotSociety.Relay.Tests.Infrastructure;

/// <summary>A raw WebSocket client that reads the relay's frames one by one, with a timeout on every wait.</summary>
public sealed class TestClient : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ClientWebSocket socket = new();

    public WebSocket Socket => socket;

    public string? SubProtocol => socket.SubProtocol;

    public static async Task<TestClient> ConnectAsync(Uri uri, string? subprotocol = "json.reliable.webpubsub.azure.v1")
    {
        var client = new TestClient();
        if (subprotocol is not null)
        {
            client.socket.Options.AddSubProtocol(subprotocol);
        }

        client.socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(Wait);
        await client.socket.ConnectAsync(uri, timeout.Token);
        return client;
    }

    /// <summary>The HTTP status the relay answered instead of upgrading.</summary>
    public static async Task<int> RefusalStatusAsync(Uri uri, string? subprotocol = "json.reliable.webpubsub.azure.v1")
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (subprotocol is not null)
        {
            socket.Options.AddSubProtocol(subprotocol);
        }

        using var timeout = new CancellationTokenSource(Wait);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, timeout.Token));
        return (int)socket.HttpStatusCode;
    }

    public async Task<(WebSocketMessageType Type, byte[] Bytes)> ReceiveFrameAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    public async Task<JsonElement> ReceiveJsonAsync()
    {
        var (type, bytes) = await ReceiveFrameAsync();
        Assert.Equal(WebSocketMessageType.Text, type);
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    /// <summary>Skips other messages until one of <paramref name="type"/> arrives.</summary>
    public async Task<JsonElement> ReceiveAsync(string type)
    {
        while (true)
        {
            var message = await ReceiveJsonAsync();
            if (message.GetProperty("type").GetString() == type)
            {
                return message;
            }
        }
    }

    /// <summary>Reads until the relay's close frame and returns its status.</summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync()
    {
        while (true)
        {
            var (type, _) = await ReceiveFrameAsync();
            if (type == WebSocketMessageType.Close)
            {
                return socket.CloseStatus;
            }
        }
    }

    public Task SendJsonAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Wait);
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public async Task SendBinaryAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(Wait);
        await socket.SendAsync(bytes, WebSocketMessageType.Binary, true, timeout.Token);
    }

    public async Task CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure)
    {
        using var timeout = new CancellationTokenSource(Wait);
        await socket.CloseAsync(status, null, timeout.Token);
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
