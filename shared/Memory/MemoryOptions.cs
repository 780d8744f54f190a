using System.ComponentModel.DataAnnotations;

namespace BotSociety.Core.Memory;

/// <summary>Bounds of warm memory and the rules of compression into cold summaries.</summary>
public sealed class MemoryOptions
{
    public const string SectionName = "Memory";

    [Range(1, 10_000, ErrorMessage = "Memory:MaxFacts must be between 1 and 10000.")]
    public int MaxFacts { get; set; } = 50;

    [Range(1, 10_000, ErrorMessage = "Memory:MaxRelationships must be between 1 and 10000.")]
    public int MaxRelationships { get; set; } = 50;

    [Range(1, 10_000, ErrorMessage = "Memory:MaxOpinions must be between 1 and 10000.")]
    public int MaxOpinions { get; set; } = 50;

    [Range(1, 10_000, ErrorMessage = "Memory:MaxInterests must be between 1 and 10000.")]
    public int MaxInterests { get; set; } = 20;

    /// <summary>Warm items a prompt includes, most important first.</summary>
    [Range(0, 100, ErrorMessage = "Memory:PromptItems must be between 0 and 100.")]
    public int PromptItems { get; set; } = 8;

    /// <summary>Activity older than this is eligible for compression into a cold summary.</summary>
    [Range(1, 24 * 30, ErrorMessage = "Memory:CompressAfterHours must be between 1 and 720.")]
    public int CompressAfterHours { get; set; } = 6;

    /// <summary>Fewer activities than this wait for the next compression rather than make a thin summary.</summary>
    [Range(1, 10_000, ErrorMessage = "Memory:MinActivitiesPerSummary must be between 1 and 10000.")]
    public int MinActivitiesPerSummary { get; set; } = 5;

    /// <summary>At most this many activities go into one summary; the rest wait for the next period.</summary>
    [Range(1, 10_000, ErrorMessage = "Memory:MaxActivitiesPerSummary must be between 1 and 10000.")]
    public int MaxActivitiesPerSummary { get; set; } = 60;

    /// <summary>Importance of warm items untouched during a compressed period is multiplied by this.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Memory:ImportanceDecay must be between 0 and 1.")]
    public double ImportanceDecay { get; set; } = 0.85;

    /// <summary>Warm items whose importance falls below this are pruned at compression.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Memory:PruneBelowImportance must be between 0 and 1.")]
    public double PruneBelowImportance { get; set; } = 0.15;
}
