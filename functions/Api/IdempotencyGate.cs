using System.Globalization;
using BotSociety.Core.Idempotency;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace BotSociety.Functions.Api;

/// <summary>
/// <c>Idempotency-Key</c> on every POST and PUT (<see cref="IdempotencyKeys"/> holds the rules): a repeat of an answered
/// request gets the stored answer with <c>Idempotent-Replayed: true</c> and changes nothing; the same key with another
/// request is 422; while the first is still running, 409 with <c>Retry-After</c>. Without the header a write runs as
/// always. Answers of 500 and over are not kept (the fault may pass), so a repeat of those runs again.
/// </summary>
internal sealed class IdempotencyGate(IdempotencyKeys keys) : IFunctionsWorkerMiddleware
{
    public const string ReplayedHeader = "Idempotent-Replayed";

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http
            || !(HttpMethods.IsPost(http.Request.Method) || HttpMethods.IsPut(http.Request.Method))
            || !http.Request.Headers.TryGetValue(IdempotencyKeys.Header, out var header))
        {
            await next(context);
            return;
        }

        var (key, error) = IdempotencyKeys.ParseKey(header.ToString());
        if (key is null)
        {
            await ApiResults.AnswerInsteadAsync(context, http, ApiResults.Invalid([new(IdempotencyKeys.Header, error!)]));
            return;
        }

        // The body is read once here (RequestBodyGate has already held it to 1 MiB) and put back for the function.
        var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, context.CancellationToken);
        body.Position = 0;
        http.Request.Body = body;
        var fingerprint = IdempotencyKeys.Fingerprint(http.Request.Method, http.Request.Path + http.Request.QueryString, body.GetBuffer().AsSpan(0, (int)body.Length));

        switch (await keys.ClaimAsync(key, fingerprint, context.CancellationToken))
        {
            case IdempotencyClaim.Replay replay:
                await ReplayAsync(context, http, replay);
                return;
            case IdempotencyClaim.Mismatch:
                await ApiResults.AnswerInsteadAsync(context, http, Refusal(StatusCodes.Status422UnprocessableEntity,
                    "The Idempotency-Key was used for another request.",
                    "was first sent with another method, path or body; send a new key for a new request",
                    "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21"));
                return;
            case IdempotencyClaim.InProgress wait:
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.RetryAfter.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiResults.AnswerInsteadAsync(context, http, Refusal(StatusCodes.Status409Conflict,
                    "A request with this Idempotency-Key is still running.",
                    $"is held by the same request, not answered yet; repeat it in {seconds} s for its answer",
                    "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10"));
                return;
        }

        await RunAndKeepAsync(context, next, http, key);
    }

    /// <summary>Runs the write with its answer copied as it is written, then stores the answer, or gives the key back.</summary>
    private async Task RunAndKeepAsync(FunctionContext context, FunctionExecutionDelegate next, HttpContext http, string key)
    {
        var client = http.Response.Body;
        var copy = new MemoryStream();
        http.Response.Body = new TeeStream(client, copy);
        var kept = false;
        try
        {
            await next(context);
            if (http.Response.StatusCode < StatusCodes.Status500InternalServerError)
            {
                // Not cancelled with the request: the write is done, and its answer must be there for a repeat.
                await keys.CompleteAsync(key, http.Response.StatusCode, http.Response.ContentType, http.Response.Headers.ETag.ToString() is { Length: > 0 } tag ? tag : null,
                    copy.ToArray(), CancellationToken.None);
                kept = true;
            }
        }
        finally
        {
            http.Response.Body = client;
            if (!kept)
            {
                await keys.ReleaseAsync(key, CancellationToken.None);
            }
        }
    }

    private static async Task ReplayAsync(FunctionContext context, HttpContext http, IdempotencyClaim.Replay replay)
    {
        http.Response.StatusCode = replay.Status;
        http.Response.Headers[ReplayedHeader] = "true";
        if (replay.ContentType is { } contentType)
        {
            http.Response.ContentType = contentType;
        }

        if (replay.ETag is { } eTag)
        {
            http.Response.Headers.ETag = eTag;
        }

        http.Response.ContentLength = replay.Body.Length;
        await http.Response.Body.WriteAsync(replay.Body, context.CancellationToken);
        context.GetInvocationResult().Value = Results.Empty;
    }

    private static ProblemHttpResult Refusal(int status, string title, string message, string type) =>
        TypedResults.Problem(title: title, detail: $"{IdempotencyKeys.Header} {message}.", statusCode: status, type: type,
            extensions: new Dictionary<string, object?> { [ApiResults.ErrorsMember] = new Dictionary<string, string[]> { [IdempotencyKeys.Header] = [message] } });

    /// <summary>Writes to the client and to a copy.</summary>
    private sealed class TeeStream(Stream client, Stream copy) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            client.Write(buffer, offset, count);
            copy.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await client.WriteAsync(buffer, cancellationToken);
            await copy.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => client.FlushAsync(cancellationToken);

        public override void Flush() => client.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
