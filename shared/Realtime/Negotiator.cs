using Microsoft.Extensions.Options;

namespace BotSociety.Core.Realtime;

/// <summary>What a dashboard needs to connect: the WebSocket address with its access token, and when the token expires.</summary>
public sealed record NegotiateResponse(Uri Url, string Hub, DateTimeOffset ExpiresAt);

/// <summary>
/// Hands a dashboard its connection to the live stream, as Web PubSub's negotiate pattern does: a client token
/// for the hub signed with the AccessKey, at the public address browsers reach (Realtime:PublicEndpoint behind a
/// proxy, else the service's own). Dashboards only listen, so the token carries no roles.
/// </summary>
public sealed class Negotiator(IOptions<RealtimeOptions> options, TimeProvider time)
{
    /// <summary>The connection, or null when no live stream is configured.</summary>
    public NegotiateResponse? Negotiate()
    {
        var settings = options.Value;
        if (settings.Connection() is not { } connection)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var lifetime = TimeSpan.FromMinutes(settings.ClientTokenMinutes);
        var token = connection.ClientToken(settings.Hub, now, lifetime, []);
        return new NegotiateResponse(connection.ClientUri(settings.Hub, token, settings.PublicEndpoint), settings.Hub, now + lifetime);
    }
}
