using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace BotSociety.DevHost.Http;

/// <summary>
/// Gives Kestrel's own refusals a problem details body. A request Kestrel cannot accept (a <c>%00</c> in the path, a
/// request line or headers over its limits, a malformed header) is answered by Kestrel itself before any middleware
/// runs, with an empty body, and Kestrel has no hook to change that answer (aspnet/KestrelHttpServer#2947, "this
/// category of errors is not customisable"). So this connection middleware sits between Kestrel and the socket and
/// rewrites such an answer on its way out.
/// <para>
/// An answer is Kestrel's own when it is a 4xx or 5xx head with <c>Content-Length: 0</c>, no <c>Content-Type</c> and
/// <c>Connection: close</c>, flushed on its own as the connection's last bytes: the app never answers so (its errors
/// all carry problem details, and it closes no connection), and Kestrel writes a refusal as one flush and then closes.
/// It gets the same status, an <c>application/problem+json</c> body saying what was refused, and the connection still
/// closes. Every other byte passes through as written; after a <c>101</c> (a WebSocket) nothing more is looked at.
/// </para>
/// </summary>
internal static class KestrelRefusals
{
    private static readonly byte[] StatusLineStart = "HTTP/1.1 "u8.ToArray();
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] SwitchingProtocols = "HTTP/1.1 101 "u8.ToArray();

    /// <summary>How much of a flush's end is looked at: a refusal head is under 200 bytes.</summary>
    private const int TailBytes = 1024;

    public static void UseProblemDetailsForRefusals(this ListenOptions listen, KestrelServerLimits limits) =>
        listen.Use(next => async connection =>
        {
            var socket = connection.Transport;
            var fromKestrel = new Pipe(new PipeOptions(useSynchronizationContext: false));
            connection.Transport = new Duplex(socket.Input, fromKestrel.Writer);
            var pumping = PumpAsync(fromKestrel.Reader, socket.Output, limits);
            try
            {
                await next(connection);
            }
            finally
            {
                // Kestrel has completed its side (our pipe's writer); the socket's output is completed as Kestrel would have.
                await fromKestrel.Writer.CompleteAsync();
                await pumping;
                await socket.Output.CompleteAsync();
                connection.Transport = socket;
            }
        });

    /// <summary>Copies Kestrel's output to the socket, flush by flush, rewriting a refusal (see the class).</summary>
    private static async Task PumpAsync(PipeReader fromKestrel, PipeWriter socket, KestrelServerLimits limits)
    {
        var upgraded = false;
        try
        {
            while (true)
            {
                var read = await fromKestrel.ReadAsync();
                var buffer = read.Buffer;
                var tail = buffer.IsEmpty || upgraded ? [] : buffer.Slice(Math.Max(0, buffer.Length - TailBytes)).ToArray();
                var refusal = Refusal(tail, limits);
                upgraded |= refusal is null && tail.AsSpan().IndexOf(SwitchingProtocols) >= 0;
                var passed = refusal is { } found ? buffer.Slice(0, buffer.Length - tail.Length + found.Start) : buffer;
                var open = true;
                foreach (var segment in passed)
                {
                    open = open && !(await socket.WriteAsync(segment)).IsCompleted;
                }

                if (refusal is { Answer: var answer })
                {
                    open = open && !(await socket.WriteAsync(answer)).IsCompleted;
                }

                fromKestrel.AdvanceTo(buffer.End);
                if (!open || read.IsCompleted || read.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // The client went away: Kestrel learns it from the socket's own side, as it would without this middleware.
        }
        finally
        {
            // Kestrel writing on finds its output completed and ends the connection.
            await fromKestrel.CompleteAsync();
        }
    }

    /// <summary>
    /// Where a refusal head starts in <paramref name="tail"/> (the last bytes of one flush) and what to send instead,
    /// or null when the flush does not end with one.
    /// </summary>
    internal static (int Start, byte[] Answer)? Refusal(ReadOnlySpan<byte> tail, KestrelServerLimits limits)
    {
        if (!tail.EndsWith(HeadEnd))
        {
            return null;
        }

        var start = tail.LastIndexOf(StatusLineStart);
        if (start < 0 || tail[start..^HeadEnd.Length].IndexOf(HeadEnd) >= 0)
        {
            return null;
        }

        var lines = Encoding.ASCII.GetString(tail[start..^HeadEnd.Length]).Split("\r\n");
        var statusLine = lines[0];
        if (statusLine.Length < 12 || !int.TryParse(statusLine.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 400)
        {
            return null;
        }

        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .Select(p => (Name: p[0].Trim(), Value: p[1].Trim())).ToList();
        bool Has(string name, string value) => headers.Any(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && h.Value.Equals(value, StringComparison.OrdinalIgnoreCase));
        if (!Has("Content-Length", "0") || !Has("Connection", "close") || headers.Any(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["title"] = statusLine.Length > 13 ? statusLine[13..] : "Request refused",
            ["status"] = status,
            ["detail"] = Detail(status, limits),
        });
        var head = new StringBuilder(statusLine).Append("\r\n")
            .Append("Content-Type: application/problem+json\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        foreach (var (name, value) in headers.Where(h => !h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        head.Append("\r\n");
        return (start, [.. Encoding.ASCII.GetBytes(head.ToString()), .. body]);
    }

    private static string Detail(int status, KestrelServerLimits limits) => status switch
    {
        400 => "The request could not be read: its request line or a header is malformed (for example a %00 or a control "
            + "character in the path, or a header without a name). Send the path percent-encoded, without NUL.",
        408 => "The request headers or body did not arrive in time.",
        411 => "The request has a body but neither Content-Length nor Transfer-Encoding: chunked.",
        413 => $"The body is longer than {limits.MaxRequestBodySize} bytes.",
        414 => $"The request line (method, path and query) is longer than {limits.MaxRequestLineSize} bytes. Send fewer or shorter query parameters.",
        431 => $"The request headers are larger than {limits.MaxRequestHeadersTotalSize} bytes in all, or more than {limits.MaxRequestHeaderCount} of them.",
        501 => "The request uses a Transfer-Encoding or method this server does not implement.",
        505 => "The request HTTP version is not supported; use HTTP/1.1.",
        _ => "The server refused the request before it could be read.",
    };

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}
