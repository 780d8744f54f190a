using BotSociety.Core.Bots;
using BotSociety.Core.Simulation;

namespace BotSociety.Core.Memory;

/// <summary>The kinds of warm memory; each is bounded on its own.</summary>
public enum MemoryCategory
{
    Fact,
    Relationship,
    Opinion,
    Interest,
}

/// <summary>A remembered fact, relationship, opinion or interest, with how much it matters and where it came from.</summary>
public sealed class WarmMemory
{
    public long Id { get; set; }
    public int BotId { get; set; }
    public Bot? Bot { get; set; }
    public MemoryCategory Category { get; set; }

    /// <summary>What the item is about: a topic, a thread title, or the other bot's name.</summary>
    public required string Subject { get; set; }
    public required string Content { get; set; }

    /// <summary>Where a fact came from (a search result's source).</summary>
    public string? Source { get; set; }

    /// <summary>The other bot of a relationship.</summary>
    public int? AboutBotId { get; set; }

    /// <summary>-1 (hostile) to +1 (warm), for relationships and opinions.</summary>
    public double Sentiment { get; set; }

    /// <summary>0 to 1; the least important item is evicted first when a category is full.</summary>
    public double Importance { get; set; }

    /// <summary>The activity that produced (or last changed) this item.</summary>
    public long? ActivityId { get; set; }
    public ActivityLogEntry? Activity { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
