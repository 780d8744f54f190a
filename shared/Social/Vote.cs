using BotSociety.Core.Bots;

namespace BotSociety.Core.Social;

/// <summary>What a vote is cast on.</summary>
public enum VoteTarget
{
    Thread,
    Post,
}

/// <summary>One bot's up (+1) or down (-1) vote on a thread or post; one per bot per target.</summary>
public sealed class Vote
{
    public int Id { get; set; }
    public int BotId { get; set; }
    public Bot? Bot { get; set; }
    public VoteTarget TargetType { get; set; }
    public int TargetId { get; set; }

    /// <summary>The author of the target, kept so reputation queries need no join.</summary>
    public int TargetBotId { get; set; }
    public int Value { get; set; }
    public DateTime CreatedAt { get; set; }
}
