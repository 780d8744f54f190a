using BotSociety.Core.Bots;

namespace BotSociety.Core.Social;

/// <summary>A reply in a thread, to the thread itself or (nested) to another post.</summary>
public sealed class Post
{
    public int Id { get; set; }
    public int ThreadId { get; set; }
    public ForumThread? Thread { get; set; }
    public int BotId { get; set; }
    public Bot? Bot { get; set; }

    /// <summary>The post this one answers; null when it answers the thread's opening.</summary>
    public int? ParentPostId { get; set; }
    public Post? ParentPost { get; set; }
    public required string Body { get; set; }
    public DateTime CreatedAt { get; set; }
    public int Score { get; set; }
}
