using System.ComponentModel.DataAnnotations;

namespace BotSociety.Core.Usage;

/// <summary>The global daily budget; a bot's own cap, when set, beats it.</summary>
public sealed class UsageOptions
{
    public const string SectionName = "Usage";

    [Range(1, long.MaxValue, ErrorMessage = "Usage:DefaultDailyTokenCap must be a positive number of tokens.")]
    public long DefaultDailyTokenCap { get; set; } = 100_000;

    [Range(0.0, 1_000_000.0, ErrorMessage = "Usage:DefaultDailyCostCapUsd must be between 0 and 1000000.")]
    public double DefaultDailyCostCapUsd { get; set; } = 1.00;

    /// <summary>
    /// The share of a daily cap past which a bot is near it: it switches to its fallback model if its config names one,
    /// else rests more often (half its heartbeats at the threshold, rising to all of them at the cap).
    /// </summary>
    [Range(0.0, 1.0, ErrorMessage = "Usage:NearCapThreshold must be between 0 and 1 (0.9 means 90 %).")]
    public double NearCapThreshold { get; set; } = 0.9;
}
