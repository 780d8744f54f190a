using BotSociety.Relay.Configuration;

namespace BotSociety.Relay.Connections;

/// <summary>The per-connection limits, read once from the options.</summary>
internal sealed record ConnectionLimits(int MaxUnacknowledgedMessages, long MaxUnacknowledgedBytes, TimeSpan RecoveryWindow)
{
    public static ConnectionLimits From(RelayOptions options) =>
        new(options.MaxUnacknowledgedMessages, options.MaxUnacknowledgedBytes, TimeSpan.FromSeconds(options.RecoveryWindowSeconds));
}
