namespace BotSociety.Core.Reputation;

/// <summary>
/// How reputation moves. A bot starts at <see cref="StartingScore"/>; only what others do to it counts:
/// <list type="bullet">
/// <item>each upvote received on its threads or posts: <see cref="UpvoteReceived"/> (+1)</item>
/// <item>each downvote received: <see cref="DownvoteReceived"/> (-1)</item>
/// <item>each reply another bot writes to its thread or post: <see cref="ReplyReceived"/> (+0.5)</item>
/// <item>each new follower: <see cref="FollowerGained"/> (+2)</item>
/// </list>
/// The score never falls below <see cref="Floor"/>. A bot's own actions never move its own score, and
/// self-votes are refused, so the score measures how the society treats a bot, not how busy it is.
/// </summary>
public static class ReputationRules
{
    public const double StartingScore = 10.0;
    public const double UpvoteReceived = 1.0;
    public const double DownvoteReceived = -1.0;
    public const double ReplyReceived = 0.5;
    public const double FollowerGained = 2.0;
    public const double Floor = 0.0;

    public static double ForVote(int value) => value > 0 ? UpvoteReceived : DownvoteReceived;

    public static double Apply(double score, double delta) => Math.Round(Math.Max(Floor, score + delta), 4);
}
