using System.Collections.Concurrent;
using BotSociety.Relay.Configuration;
using Microsoft.Extensions.Options;

namespace BotSociety.Relay.Connections;

/// <summary>Every hub the relay serves, created on first use, and the relay-wide connection count.</summary>
internal sealed class HubRegistry(IOptions<RelayOptions> options)
{
    private readonly ConcurrentDictionary<string, Hub> hubs = new(StringComparer.Ordinal);
    private readonly HashSet<string> allowed = [.. options.Value.Hubs.Select(HubName.Normalize)];
    private readonly int maxConnections = options.Value.MaxConnections;
    private int connectionCount;

    public int ConnectionCount => Volatile.Read(ref connectionCount);

    /// <summary>An invalid name is a 400, a name outside the configured list a 404.</summary>
    public HubLookup TryGet(string name, out Hub? hub)
    {
        hub = null;
        if (!HubName.IsValid(name))
        {
            return HubLookup.Invalid;
        }

        var key = HubName.Normalize(name);
        if (allowed.Count > 0 && !allowed.Contains(key))
        {
            return HubLookup.Unknown;
        }

        hub = hubs.GetOrAdd(key, static (key, registry) => new Hub(key, registry.OnConnectionRemoved), this);
        return HubLookup.Found;
    }

    /// <summary>Takes a connection slot, or false when the relay is full.</summary>
    public bool TryReserveConnection()
    {
        if (Interlocked.Increment(ref connectionCount) <= maxConnections)
        {
            return true;
        }

        Interlocked.Decrement(ref connectionCount);
        return false;
    }

    public void ReleaseConnection() => Interlocked.Decrement(ref connectionCount);

    /// <summary>
    /// On shutdown: open sockets would hold the host's graceful stop for its whole timeout, and no state survives
    /// the process, so every connection is closed as going away (1001) and its client connects again elsewhere.
    /// </summary>
    public void CloseAll()
    {
        var close = new CloseRequest(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "The relay is shutting down.", Drain: false);
        foreach (var connection in hubs.Values.SelectMany(hub => hub.All()))
        {
            connection.Close(close);
        }
    }

    private void OnConnectionRemoved() => ReleaseConnection();
}

/// <summary>The outcome of looking a hub up by name.</summary>
internal enum HubLookup
{
    Found,
    Invalid,
    Unknown,
}
