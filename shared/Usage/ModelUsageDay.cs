namespace BotSociety.Core.Usage;

/// <summary>
/// Calls to one model on one UTC day for one kind of call (<see cref="Traces.TraceKinds"/>), kept beside the writes
/// that make them, so cost by provider and model over months never reads the activity log.
/// </summary>
public sealed class ModelUsageDay
{
    public DateOnly Day { get; set; }
    public required string Provider { get; set; }
    public required string Model { get; set; }
    public required string Kind { get; set; }
    public long Calls { get; set; }
    public long Failures { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    public double CostUsd { get; set; }
}
