using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Net.Http.Headers;

namespace BotSociety.Functions.Api;

/// <summary>
/// Checks a write's body before any function reads it: more than <see cref="MaxBytes"/> is 413 (a 100 MB body used
/// to reach the JSON reader and end in 500), and a body that is not <c>application/json</c> is 415 (a
/// <c>text/plain</c> body used to change the pace). A body sent without a length is held to the same limit while
/// it is read. A write without a body (pause, resume) passes whatever its headers say.
/// </summary>
internal sealed class RequestBodyGate : IFunctionsWorkerMiddleware
{
    /// <summary>1 MiB: the largest write, a config with a long bio, is a few KB.</summary>
    public const long MaxBytes = 1024 * 1024;

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }

        var refusal = Refusal(http.Request);
        if (refusal is null)
        {
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxBytes;
            }

            try
            {
                await next(context);
                return;
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !http.Response.HasStarted)
            {
                // A body without Content-Length that outgrew the limit while a function read it; nothing was written,
                // since every write reads its whole body before it touches the database.
                refusal = TooLarge($"is longer than {MaxBytes} bytes");
            }
        }

        await ApiResults.AnswerInsteadAsync(context, http, refusal);
    }

    private static ProblemHttpResult? Refusal(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method) && !HttpMethods.IsPatch(request.Method))
        {
            return null;
        }

        if (request.ContentLength is > MaxBytes)
        {
            return TooLarge($"is {request.ContentLength.Value.ToString(CultureInfo.InvariantCulture)} bytes; at most {MaxBytes} are accepted");
        }

        var hasBody = request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (hasBody && !IsJson(request.ContentType))
        {
            return ApiResults.BodyRefused(StatusCodes.Status415UnsupportedMediaType, "The request body must be JSON.", "Content-Type",
                $"must be application/json; got {(string.IsNullOrEmpty(request.ContentType) ? "none" : $"'{request.ContentType}'")}");
        }

        return null;
    }

    private static ProblemHttpResult TooLarge(string message) =>
        ApiResults.BodyRefused(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", "body", message);

    /// <summary><c>application/json</c> or a <c>+json</c> type, with any parameters (<c>charset=utf-8</c>).</summary>
    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.SubTypeWithoutSuffix.HasValue && type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase) && type.Type.Equals("application", StringComparison.OrdinalIgnoreCase));
}
