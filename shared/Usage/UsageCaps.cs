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
    /// <summary>When a bot capped on <paramref name="day"/> acts again: the next midnight UTC, when the budget renews.</summary>
    public static DateTime ResumesAt(DateOnly day) => day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The details of a <c>usage_capped</c> row: the reason, the budget note, today's spend against each cap, when it resumes.</summary>
    public static System.Text.Json.Nodes.JsonObject CappedDetails(CapStatus status, DateOnly day) => new()
    {
        ["reason"] = status.Reason,
        ["budget"] = BudgetNote.CappedBy(status).ToJson(),
        ["tokens_today"] = status.TokensToday,
        ["token_cap"] = status.TokenCap,
        ["token_cap_source"] = status.TokenCapSource,
        ["cost_today_usd"] = status.CostTodayUsd,
        ["cost_cap_usd"] = status.CostCapUsd,
        ["cost_cap_source"] = status.CostCapSource,
        ["resumes_at"] = ResumesAt(day).ToString("O", CultureInfo.InvariantCulture),
    };

    public static CapStatus Evaluate(Bot bot, DailyUsage? today, UsageOptions defaults)
    {
        var tokenCap = bot.DailyTokenCap ?? defaults.DefaultDailyTokenCap;
        var costCap = bot.DailyCostCapUsd ?? defaults.DefaultDailyCostCapUsd;
        var tokens = today?.TotalTokens ?? 0;
        var cost = today?.EstimatedCostUsd ?? 0;
        string? reason = null;
        if (tokens >= tokenCap)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"Daily token cap reached: {tokens:N0} of {tokenCap:N0} tokens");
        }
        else if (cost >= costCap)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"Daily cost cap reached: ${cost:N2} of ${costCap:N2}");
        }

        return new CapStatus(tokenCap, bot.DailyTokenCap is not null, costCap, bot.DailyCostCapUsd is not null, tokens, cost, reason);
    }
}
