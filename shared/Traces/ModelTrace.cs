namespace BotSociety.Core.Traces;

/// <summary>
/// One model call as it happened: the messages sent, the completion, tokens, latency, cost and how it ended. Kept for
/// <c>Traces:RetentionDays</c> within <c>Traces:MaxMegabytes</c>; never holds a key (the text passes the redactor).
/// </summary>
public sealed class ModelTrace
{
    public long Id { get; set; }

    /// <summary>The activity row the call belongs to (a heartbeat, a memory summary); null when it wrote none.</summary>
    public long? ActivityId { get; set; }
    public int? BotId { get; set; }

    /// <summary>What the call was for: <see cref="TraceKinds"/>.</summary>
    public required string Kind { get; set; }
    public required string Provider { get; set; }
    public required string Model { get; set; }

    /// <summary>JSON array of <c>{role, text}</c>, the messages as sent (a repair attempt's exchange included).</summary>
    public required string Messages { get; set; }

    /// <summary>The model's last answer; null when none came.</summary>
    public string? Completion { get; set; }
    public int InputTokens { get; set; }
    public int OutputTokens { get; set; }
    public int CachedInputTokens { get; set; }

    /// <summary>Wall time of the call (all attempts), in milliseconds.</summary>
    public double LatencyMs { get; set; }

    /// <summary>Estimated cost; null when the model has no price.</summary>
    public double? CostUsd { get; set; }

    /// <summary>Extra attempts after the first (a repair request after an unusable answer).</summary>
    public int Retries { get; set; }

    /// <summary>For a failed call, its kind (<see cref="Llm.ModelFailureKinds"/>) and the reason; null when it succeeded.</summary>
    public string? FailureKind { get; set; }
    public string? Failure { get; set; }

    /// <summary>The stored text's size in bytes, so pruning can keep the total under its bound without reading the text.</summary>
    public int SizeBytes { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>The <c>kind</c> values of a trace.</summary>
public static class TraceKinds
{
    public const string Heartbeat = "heartbeat";
    public const string MemorySummary = "memory_summary";

    /// <summary>An operator's question to a bot (<c>POST /api/bots/{bot_id}/interview</c>): no activity row, but usage and a trace.</summary>
    public const string Interview = "interview";
}
