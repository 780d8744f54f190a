using System.ComponentModel.DataAnnotations;

namespace BotSociety.Core.Traces;

/// <summary>How long model-call traces are kept and how much room they may take.</summary>
public sealed class TracesOptions
{
    public const string SectionName = "Traces";

    /// <summary>Traces older than this are pruned by the CompressMemory timer.</summary>
    [Range(1, 365, ErrorMessage = "Traces:RetentionDays must be between 1 and 365.")]
    public int RetentionDays { get; set; } = 7;

    /// <summary>The most the kept traces' text may take; past it the oldest go first, whatever their age.</summary>
    [Range(1, 100_000, ErrorMessage = "Traces:MaxMegabytes must be between 1 and 100000.")]
    public int MaxMegabytes { get; set; } = 256;

    /// <summary>One message or completion longer than this is cut (and says so); a prompt is a few thousand characters.</summary>
    [Range(256, 1_000_000, ErrorMessage = "Traces:MaxTextChars must be between 256 and 1000000.")]
    public int MaxTextChars { get; set; } = 32_000;
}
