using BotSociety.Core.Llm;

namespace BotSociety.Core.Bots;

/// <summary>
/// A bot's health at a glance: <c>paused</c>, <c>capped</c>, <c>unreachable</c> (its provider cannot be reached),
/// <c>failing</c> (its last <see cref="FailingAfter"/> heartbeats failed), or <c>healthy</c>. The first that holds wins,
/// in that order: an operator's pause explains more than the failures before it.
/// </summary>
public static class BotHealth
{
    public const string Healthy = "healthy";
    public const string Failing = "failing";
    public const string Unreachable = "unreachable";
    public const string Capped = "capped";
    public const string Paused = "paused";

    /// <summary>Failed heartbeats in a row that make a bot failing; one or two are weather, three are a pattern.</summary>
    public const int FailingAfter = 3;

    /// <summary>Failure kinds that say nobody answered at the provider's address.</summary>
    private static readonly string[] UnreachableKinds = [ModelFailureKinds.Network, ModelFailureKinds.Unavailable];

    public static string Of(Bot bot, bool capped, ProviderReachability? provider)
    {
        if (bot.IsPaused)
        {
            return Paused;
        }

        if (capped)
        {
            return Capped;
        }

        var failing = bot.FailedHeartbeats >= FailingAfter;
        if (provider is { Reachable: false } || (failing && UnreachableKinds.Contains(bot.LastFailureKind)))
        {
            return Unreachable;
        }

        return failing ? Failing : Healthy;
    }
}
