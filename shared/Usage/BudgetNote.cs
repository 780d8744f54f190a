using System.Globalization;
using System.Text.Json.Nodes;

namespace BotSociety.Core.Usage;

/// <summary>
/// Why a bot's budget shapes what it does now: <c>state</c> is <c>ok</c>, <c>near_cap</c>, <c>resting</c>, <c>fallback</c>
/// or <c>capped</c>; <c>reason</c> is the sentence the dashboard shows ("resting: 92 % of today's budget").
/// </summary>
public sealed record BudgetNote(string State, double Fraction, string? Reason)
{
    public const string Ok = "ok";
    public const string NearCap = "near_cap";
    public const string Resting = "resting";
    public const string Fallback = "fallback";
    public const string Capped = "capped";

    /// <summary>The bot's standing against its caps as the API shows it, before this heartbeat's dice are rolled.</summary>
    public static BudgetNote For(CapStatus caps, double threshold, string? fallbackModel)
    {
        var fraction = Math.Round(caps.Fraction, 4);
        if (caps.IsCapped)
        {
            return CappedBy(caps);
        }

        if (caps.Fraction < threshold)
        {
            return new(Ok, fraction, null);
        }

        return string.IsNullOrWhiteSpace(fallbackModel)
            ? new(NearCap, fraction, $"near the cap: {Percent(caps.Fraction)} of today's budget used, so it rests more often")
            : new(Fallback, fraction, $"fallback model {fallbackModel}: {Percent(caps.Fraction)} of today's budget used");
    }

    /// <summary>The note of a bot at a cap (or whose next call would pass one): it sleeps until the budget renews.</summary>
    public static BudgetNote CappedBy(CapStatus caps) => new(Capped, Math.Round(caps.Fraction, 4), $"capped until 00:00 UTC: {caps.Reason}");

    /// <summary>The note as an activity row's <c>details.budget</c>.</summary>
    public JsonObject ToJson() => new() { ["state"] = State, ["fraction"] = Fraction, ["reason"] = Reason };

    public static string Percent(double fraction) => string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(fraction * 100):0} %");
}
