using Microsoft.AspNetCore.Http;

namespace BotSociety.Functions.Api;

/// <summary>
/// An answer written as it is produced (an export of millions of rows, a snapshot file): headers first, then
/// <paramref name="write"/> streams the body, so neither the worker nor devhost holds the whole of it. It is a
/// download (<c>Content-Disposition: attachment</c>) and never cached: the society changes every heartbeat.
/// </summary>
internal sealed class StreamedResult(string contentType, string fileName, Func<Stream, CancellationToken, Task> write) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = fileName, DispositionType = "attachment" }.ToString();
        response.Headers.CacheControl = "no-store";
        await response.StartAsync(httpContext.RequestAborted);
        await write(response.Body, httpContext.RequestAborted);
    }
}
