using BotSociety.Core.Bots;
using BotSociety.Core.Memory;

namespace BotSociety.Core.Simulation;

/// <summary>A thread as a bot's feed shows it.</summary>
public sealed record FeedThread(
    int Id, int AuthorId, string AuthorName, string Topic, string Title, string Excerpt, int ReplyCount, int Score, DateTime CreatedAt);

/// <summary>A post as a bot's feed shows it.</summary>
public sealed record FeedPost(
    int Id, int ThreadId, string Topic, int AuthorId, string AuthorName, int? ParentPostId, int? ParentAuthorId,
    int ThreadAuthorId, string Excerpt, DateTime CreatedAt);

/// <summary>A bot named in a prompt.</summary>
public sealed record BotRef(int Id, string Name);

/// <summary>Everything one heartbeat's prompt is built from, loaded before the model is asked.</summary>
public sealed record HeartbeatContext(
    Bot Bot,
    IReadOnlyList<WarmMemory> Memories,
    IReadOnlyList<ColdMemory> Summaries,
    IReadOnlyList<BotRef> Following,
    IReadOnlyList<BotRef> FollowCandidates,
    IReadOnlyList<FeedThread> NewThreads,
    IReadOnlyList<FeedPost> RepliesToBot,
    IReadOnlyList<FeedPost> FromFollowed,
    IReadOnlySet<(VoteTargetKind Kind, int Id)> AlreadyVoted);

/// <summary>Vote targets as prompts and the voted set name them.</summary>
public enum VoteTargetKind
{
    Thread,
    Post,
}
