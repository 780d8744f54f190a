using BotSociety.DevHost.Worker;
using Yarp.ReverseProxy.Forwarder;

namespace BotSociety.DevHost.Http;

/// <summary>
/// Holds back an empty answer from the worker until the invocation's outcome is known. A function that throws
/// before writing anything leaves the worker's Kestrel to answer 200 with no body; only the InvocationResponse,
/// which follows within moments, tells that apart from success, and then the client must get a 500.
/// Answers with a body pass straight through, so streamed responses are never held.
/// </summary>
internal sealed class WorkerResponseTransformer(Task<InvocationResult> outcome) : HttpTransformer
{
    private volatile bool responseArrived;

    /// <summary>True once the worker's response headers arrived.</summary>
    public bool ResponseArrived => responseArrived;

    /// <summary>
    /// Tells the worker the address the client used (its Kestrel sees devhost's connection), as proxies do with
    /// <c>X-Forwarded-Host</c> and <c>X-Forwarded-Proto</c>: the worker checks a browser's <c>Origin</c> against it.
    /// </summary>
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.Headers.Remove("X-Forwarded-Host");
        proxyRequest.Headers.Remove("X-Forwarded-Proto");
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Host", httpContext.Request.Host.Value);
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Proto", httpContext.Request.Scheme);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is not null)
        {
            responseArrived = true;
            if (proxyResponse.Content.Headers.ContentLength == 0 && !(await outcome.WaitAsync(cancellationToken)).Succeeded)
            {
                // Not copied: the caller answers with problem details instead.
                return false;
            }
        }

        return await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
    }
}
