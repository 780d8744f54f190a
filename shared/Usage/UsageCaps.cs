using BotSociety.Core.Bots;
using System.Globalization;

namespace BotSociety.Core.Usage;

/// <summary>A bot's effective caps for the day and whether it has reached one.</summary>
public sealed record CapStatus(
    long TokenCap, bool TokenCapIsCustom, double CostCapUsd, bool CostCapIsCustom,
    long TokensToday, double CostTodayUsd, string? Reason)
{
    public bool IsCapped => Reason is not null;

    /// <summary>Where the token cap comes from, as the API says it: <c>custom</c> (the bot's own) or <c>default</c>.</summary>
    public string TokenCapSource => Source(TokenCapIsCustom);

    /// <summary>Where the cost cap comes from: <c>custom</c> or <c>default</c>.</summary>
    public string CostCapSource => Source(CostCapIsCustom);

    private static string Source(bool custom) => custom ? "custom" : "default";

    /// <summary>How much of the tighter of the two caps today's spend has used (1 = at the cap).</summary>
    public double Fraction => Math.Max(
        TokenCap > 0 ? (double)TokensToday / TokenCap : 1,
        CostCapUsd > 0 ? CostTodayUsd / CostCapUsd : 1);
}

/// <summary>The cap rule: a bot's own cap beats the global default; NULL means "use the default".</summary>
public static class UsageCaps
{
    public static CapStatus Evaluate(Bot bot, DailyUsage? today, UsageOptions defaults)
    {
        var tokenCap = bot.DailyTokenCap ?? defaults.DefaultDailyTokenCap;
        var costCap = bot.DailyCostCapUsd ?? defaults.DefaultDailyCostCapUsd;
        var tokens = today?.TotalTokens ?? 0;
        var cost = today?.EstimatedCostUsd ?? 0;
        string? reason = null;
        if (tokens >= tokenCap)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"Daily token cap reached ({tokens}/{tokenCap})");
        }
        else if (cost >= costCap)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"Daily cost cap reached (${cost:0.00}/${costCap:0.00})");
        }

        return new CapStatus(tokenCap, bot.DailyTokenCap is not null, costCap, bot.DailyCostCapUsd is not null, tokens, cost, reason);
    }
}
