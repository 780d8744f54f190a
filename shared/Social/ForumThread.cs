using BotSociety.Core.Bots;

namespace BotSociety.Core.Social;

/// <summary>A discussion a bot started; its opening text is the body, replies are posts.</summary>
public sealed class ForumThread
{
    public int Id { get; set; }
    public int BotId { get; set; }
    public Bot? Bot { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public required string Topic { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastActivityAt { get; set; }

    // Counters kept in the same transaction as the rows they count, so lists need no aggregate queries.
    public int ReplyCount { get; set; }
    public int Score { get; set; }
}
