using BotSociety.Core.Realtime;
using BotSociety.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>The live stream's front door: a thin adapter over <see cref="Negotiator"/>.</summary>
internal sealed class RealtimeFunctions(Negotiator negotiator)
{
    [Function("Negotiate")]
    [ApiOperation("Realtime", "The WebSocket address and access token a dashboard connects to the live event stream with (Web PubSub's client protocol). "
        + "The address is Realtime:PublicEndpoint when set; for a relay on this machine, the host the request came to (Host, or X-Forwarded-Proto and X-Forwarded-Host from a proxy); else the service's own.")]
    [ApiResponse(200, "Where to connect, and until when the token is good.", Body = typeof(NegotiateResponse))]
    [ApiResponse(503, "No live stream is configured (Realtime:ConnectionString); dashboards poll /api/activity instead.")]
    public IResult Negotiate([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "negotiate")] HttpRequest request)
    {
        // Every answer is fresh: a cached token would outlive its expiry in a proxy.
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        var root = Negotiator.RootOf(request.Scheme, request.Host.HasValue ? request.Host.Value : null,
            request.Headers["X-Forwarded-Proto"], request.Headers["X-Forwarded-Host"]);
        return negotiator.Negotiate(root) is { } connection
            ? ApiResults.Json(connection)
            : ApiResults.Unavailable("No live stream is configured.", "Set Realtime:ConnectionString to a Web PubSub (or relay) connection string.");
    }
}
