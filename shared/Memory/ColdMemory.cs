using BotSociety.Core.Bots;
using BotSociety.Core.Simulation;

namespace BotSociety.Core.Memory;

/// <summary>A summary, written by the bot's model, of what the bot did over a period.</summary>
public sealed class ColdMemory
{
    public long Id { get; set; }
    public int BotId { get; set; }
    public Bot? Bot { get; set; }
    public DateTime PeriodStart { get; set; }
    public DateTime PeriodEnd { get; set; }
    public required string Summary { get; set; }
    public int ActivityCount { get; set; }

    /// <summary>The <c>memory_compressed</c> activity that made this summary (its tokens and model).</summary>
    public long? ActivityId { get; set; }
    public ActivityLogEntry? Activity { get; set; }
    public DateTime CreatedAt { get; set; }
}
