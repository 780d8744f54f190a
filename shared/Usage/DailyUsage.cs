using BotSociety.Core.Bots;

namespace BotSociety.Core.Usage;

/// <summary>What one bot spent on one UTC day.</summary>
public sealed class DailyUsage
{
    public int BotId { get; set; }
    public Bot? Bot { get; set; }
    public DateOnly Day { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }

    /// <summary>The part of <see cref="InputTokens"/> the provider read from its prompt cache (billed at the cached rate).</summary>
    public long CachedInputTokens { get; set; }

    /// <summary>Calls whose model has no price in the table: their cost is unknown and not in <see cref="EstimatedCostUsd"/>.</summary>
    public int UnpricedCalls { get; set; }
    public double EstimatedCostUsd { get; set; }
    public int Calls { get; set; }

    public long TotalTokens => InputTokens + OutputTokens;
}
