using BotSociety.Core.Bots;
using BotSociety.Core.Simulation;

namespace BotSociety.Core.Reputation;

/// <summary>One interaction between two bots and how it moved the actor's feeling about the other.</summary>
public sealed class RelationshipEvent
{
    public long Id { get; set; }
    public int BotId { get; set; }
    public Bot? Bot { get; set; }
    public int OtherBotId { get; set; }
    public Bot? OtherBot { get; set; }

    /// <summary><c>replied</c>, <c>upvoted</c>, <c>downvoted</c> or <c>followed</c>.</summary>
    public required string Kind { get; set; }
    public double SentimentDelta { get; set; }
    public long? ActivityId { get; set; }
    public ActivityLogEntry? Activity { get; set; }
    public DateTime CreatedAt { get; set; }
}
