using Microsoft.Extensions.Options;

namespace BotSociety.Core.Realtime;

/// <summary>What a dashboard needs to connect: the WebSocket address with its access token, and when the token expires.</summary>
public sealed record NegotiateResponse(Uri Url, string Hub, DateTimeOffset ExpiresAt);

/// <summary>
/// Hands a dashboard its connection to the live stream, as Web PubSub's negotiate pattern does: a client token
/// for the hub signed with the AccessKey, at the public address browsers reach. That is Realtime:PublicEndpoint when
/// set. Else, when the service is on this machine (a loopback address such as <c>localhost:7071</c>, the relay devhost
/// mounts or one beside it), a browser on another machine must not be told "localhost": it gets the host it reached the
/// app at, with the request's scheme and port when the relay shares the app's port, else with the relay's. Else the
/// service's own address (Azure Web PubSub). Dashboards only listen, so the token carries no roles.
/// </summary>
public sealed class Negotiator(IOptions<RealtimeOptions> options, TimeProvider time)
{
    /// <summary>
    /// The connection, or null when no live stream is configured. <paramref name="requestRoot"/> is where the request
    /// came to (scheme, host and port, from Host or X-Forwarded-Proto and X-Forwarded-Host), when known.
    /// </summary>
    public NegotiateResponse? Negotiate(Uri? requestRoot = null)
    {
        var settings = options.Value;
        if (settings.Connection() is not { } connection)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var lifetime = TimeSpan.FromMinutes(settings.ClientTokenMinutes);
        var token = connection.ClientToken(settings.Hub, now, lifetime, []);
        var root = settings.PublicEndpoint ?? (connection.Endpoint.IsLoopback ? Local(connection.Endpoint, requestRoot) : null);
        return new NegotiateResponse(connection.ClientUri(settings.Hub, token, root), settings.Hub, now + lifetime);
    }

    private static Uri? Local(Uri service, Uri? requestRoot) => requestRoot switch
    {
        null => null,
        _ when requestRoot.Port == service.Port => requestRoot,
        _ => new UriBuilder(service) { Host = requestRoot.Host }.Uri,
    };

    /// <summary>
    /// The address a request was made to: the first X-Forwarded-Proto and X-Forwarded-Host a proxy set, else the request's
    /// own scheme and Host. Null when the host is not a plain host[:port] (a forged header gets no say).
    /// </summary>
    public static Uri? RootOf(string scheme, string? host, string? forwardedProto, string? forwardedHost)
    {
        static string? First(string? list) => list?.Split(',', 2)[0].Trim() is { Length: > 0 } value ? value : null;
        var proto = First(forwardedProto) ?? scheme;
        var authority = First(forwardedHost) ?? host;
        if (proto is not ("http" or "https") || string.IsNullOrEmpty(authority) || authority.IndexOfAny(['/', '?', '#', '@', '\\']) >= 0)
        {
            return null;
        }

        return Uri.TryCreate($"{proto}://{authority}/", UriKind.Absolute, out var root) && root.AbsolutePath == "/" ? root : null;
    }
}
