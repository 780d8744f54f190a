using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace BotSociety.Core.Tests;

/// <summary>
/// A service's HTTP API on a real socket (HttpListener on 127.0.0.1): each request is recorded and answered by a
/// script, so the real clients (the model SDKs, the web search client, the Web PubSub publisher) talk to it as to
/// the service. A script that never completes its answer makes a service that hangs.
/// </summary>
internal sealed class FakeHttpServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<Received> requests = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Func<Received, int, Task<Reply>> answer;
    private int count;

    private FakeHttpServer(Func<Received, int, Task<Reply>> answer)
    {
        this.answer = answer;
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            listener.Prefixes.Clear();
            listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Another test took the port between the probe and the start; try another.
            }
        }

        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<Received> Requests => [.. requests];

    /// <summary>Starts a server whose <paramref name="answer"/> gets each request and its 0-based number.</summary>
    public static FakeHttpServer Start(Func<Received, int, Reply> answer) => new((r, i) => Task.FromResult(answer(r, i)));

    public static FakeHttpServer StartAsync(Func<Received, int, Task<Reply>> answer) => new(answer);

    public void Dispose()
    {
        stop.Cancel();
        listener.Close();
        stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            var received = new Received(context.Request.HttpMethod, context.Request.RawUrl ?? "", headers, body);
            requests.Enqueue(received);
            var reply = await answer(received, Interlocked.Increment(ref count) - 1);
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = reply.ContentType;
            foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            var bytes = Encoding.UTF8.GetBytes(reply.Body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client gave up (a timeout test); nothing to answer.
        }
    }

    /// <summary>A loopback port nothing listens on now (a dead service, or the next server).</summary>
    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>One request as the server saw it.</summary>
    internal sealed record Received(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public JsonNode Json => JsonNode.Parse(Body)!;

        public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";

        /// <summary>The bearer token of the Authorization header, or empty.</summary>
        public string BearerToken => Header("Authorization").Replace("Bearer ", "", StringComparison.Ordinal);
    }

    /// <summary>One answer.</summary>
    internal sealed record Reply(int Status, string Body, string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null)
    {
        public static Reply Json(JsonNode body, int status = 200, IReadOnlyDictionary<string, string>? headers = null) =>
            new(status, body.ToJsonString(), "application/json", headers);
    }
}
