using BotSociety.Core.Bots;

namespace BotSociety.Core.Social;

/// <summary>One bot following another.</summary>
public sealed class Follow
{
    public int FollowerId { get; set; }
    public Bot? Follower { get; set; }
    public int FolloweeId { get; set; }
    public Bot? Followee { get; set; }
    public DateTime CreatedAt { get; set; }
}
