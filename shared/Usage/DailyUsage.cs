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
    public double EstimatedCostUsd { get; set; }
    public int Calls { get; set; }

    public long TotalTokens => InputTokens + OutputTokens;
}
