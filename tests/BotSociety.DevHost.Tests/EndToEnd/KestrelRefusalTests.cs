using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace BotSociety.DevHost.Tests.EndToEnd;

/// <summary>
/// Requests Kestrel refuses before any middleware runs still get problem details (devhost/Http/KestrelRefusals.cs).
/// Sent over a raw socket: HttpClient itself refuses to send most of them.
/// </summary>
public sealed class KestrelRefusalTests(DevHostFixture fixture) : IClassFixture<DevHostFixture>
{
    [Theory]
    [InlineData("/api/bots/%00", 400, "%00")]
    [InlineData("/api/bots?q=LONG", 414, "8192 bytes")]
    public async Task ARefusedRequestGetsProblemDetailsAndTheConnectionCloses(string target, int status, string named)
    {
        var answer = await SendAsync($"GET {target.Replace("LONG", new string('x', 10_000), StringComparison.Ordinal)} HTTP/1.1\r\nHost: localhost\r\n\r\n");

        var (head, body) = Split(answer);
        Assert.StartsWith($"HTTP/1.1 {status} ", head, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", head, StringComparison.Ordinal);
        Assert.Contains("Connection: close", head, StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(named, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswersBeforeARefusalOnTheSameConnectionPassUnchanged()
    {
        // Pipelined: the first is answered as usual, the second refused, on one connection.
        var answer = await SendAsync("GET /api/pace HTTP/1.1\r\nHost: localhost\r\n\r\nGET /api/%00 HTTP/1.1\r\nHost: localhost\r\n\r\n");

        var second = answer.IndexOf("HTTP/1.1 400 Bad Request", StringComparison.Ordinal);
        Assert.True(answer.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal) && second > 0, answer);
        var first = answer[..second];
        Assert.Contains("Content-Type: application/json", first, StringComparison.Ordinal);
        Assert.Contains("\"pace\":", first, StringComparison.Ordinal);
        var (_, refusal) = Split(answer[second..]);
        Assert.Equal(400, JsonDocument.Parse(refusal).RootElement.GetProperty("status").GetInt32());
    }

    /// <summary>Writes the bytes and reads until the server closes the connection.</summary>
    private async Task<string> SendAsync(string request)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.ConnectAsync(fixture.Http.BaseAddress!.Host, fixture.Http.BaseAddress.Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received, timeout.Token);
        return Encoding.UTF8.GetString(received.ToArray());
    }

    private static (string Head, string Body) Split(string response)
    {
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, response);
        var head = response[..end];
        var length = int.Parse(head.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))[15..].Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        return (head, response.Substring(end + 4, length));
    }
}
