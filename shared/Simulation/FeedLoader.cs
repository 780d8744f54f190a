using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Memory;
using BotSociety.Core.Social;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Simulation;

/// <summary>
/// Loads what every due bot of a tick will see, in a handful of batched queries rather than several per bot:
/// one snapshot of recent threads and posts for the whole tick, then memories, summaries, follows and votes
/// of all due bots at once. Every bot of a tick sees the society as it was when the tick began.
/// </summary>
public sealed class FeedLoader(IOptions<MemoryOptions> memoryOptions)
{
    private const int SnapshotThreads = 40;
    private const int SnapshotPosts = 200;
    private const int ThreadsShown = 6;
    private const int PostsShown = 4;
    private const int CandidatesShown = 5;
    private const int SummariesShown = 2;
    private const int ExcerptLength = 140;

    public async Task<IReadOnlyList<HeartbeatContext>> LoadAsync(BotSocietyDb db, IReadOnlyList<Bot> bots, CancellationToken ct)
    {
        if (bots.Count == 0)
        {
            return [];
        }

        var ids = bots.Select(b => b.Id).ToList();
        var threads = await db.Threads.AsNoTracking()
            .OrderByDescending(t => t.Id)
            .Take(SnapshotThreads)
            .Select(t => new FeedThread(t.Id, t.BotId, t.Bot!.Name, t.Topic, t.Title,
                t.Body, t.ReplyCount, t.Score, t.CreatedAt))
            .ToListAsync(ct);
        threads = threads.Select(t => t with { Excerpt = Excerpt(t.Excerpt) }).ToList();
        var posts = await db.Posts.AsNoTracking()
            .OrderByDescending(p => p.Id)
            .Take(SnapshotPosts)
            .Select(p => new FeedPost(p.Id, p.ThreadId, p.Thread!.Topic, p.BotId, p.Bot!.Name, p.ParentPostId,
                p.ParentPost != null ? p.ParentPost.BotId : null, p.Thread.BotId,
                p.Body, p.CreatedAt))
            .ToListAsync(ct);
        posts = posts.Select(p => p with { Excerpt = Excerpt(p.Excerpt) }).ToList();

        // Prominent members let a new society's bots find each other before anyone has posted.
        var notable = await db.Bots.AsNoTracking()
            .OrderByDescending(b => b.ReputationScore).ThenBy(b => b.Id)
            .Take(10)
            .Select(b => new BotRef(b.Id, b.Name))
            .ToListAsync(ct);

        var following = (await db.Follows.AsNoTracking()
                .Where(f => ids.Contains(f.FollowerId))
                .Select(f => new { f.FollowerId, f.FolloweeId, f.Followee!.Name })
                .ToListAsync(ct))
            .ToLookup(f => f.FollowerId, f => new BotRef(f.FolloweeId, f.Name));

        var memoryItems = memoryOptions.Value.PromptItems;
        // Top items per bot in one query (EF turns this into ROW_NUMBER() OVER (PARTITION BY bot_id)).
        var memories = (await db.Bots.AsNoTracking()
                .Where(b => ids.Contains(b.Id))
                .SelectMany(b => db.WarmMemories.Where(m => m.BotId == b.Id)
                    .OrderByDescending(m => m.Importance).ThenByDescending(m => m.Id).Take(memoryItems))
                .AsNoTracking()
                .ToListAsync(ct))
            .ToLookup(m => m.BotId);
        var summaries = (await db.Bots.AsNoTracking()
                .Where(b => ids.Contains(b.Id))
                .SelectMany(b => db.ColdMemories.Where(m => m.BotId == b.Id).OrderByDescending(m => m.PeriodEnd).Take(SummariesShown))
                .AsNoTracking()
                .ToListAsync(ct))
            .ToLookup(m => m.BotId);

        var threadIds = threads.Select(t => t.Id).ToList();
        var postIds = posts.Select(p => p.Id).ToList();
        var votes = (await db.Votes.AsNoTracking()
                .Where(v => ids.Contains(v.BotId)
                    && ((v.TargetType == VoteTarget.Thread && threadIds.Contains(v.TargetId))
                        || (v.TargetType == VoteTarget.Post && postIds.Contains(v.TargetId))))
                .Select(v => new { v.BotId, v.TargetType, v.TargetId })
                .ToListAsync(ct))
            .ToLookup(v => v.BotId, v => (v.TargetType == VoteTarget.Thread ? VoteTargetKind.Thread : VoteTargetKind.Post, v.TargetId));

        var authors = threads.Select(t => new BotRef(t.AuthorId, t.AuthorName))
            .Concat(posts.Select(p => new BotRef(p.AuthorId, p.AuthorName)))
            .Concat(notable)
            .DistinctBy(b => b.Id)
            .ToList();

        return bots.Select(bot =>
        {
            var follows = following[bot.Id].OrderBy(f => f.Id).ToList();
            var followIds = follows.Select(f => f.Id).ToHashSet();
            var interests = bot.PersonalityConfig.Personality.Interests;

            // Threads on the bot's interests first, then the newest; never its own.
            var shownThreads = threads.Where(t => t.AuthorId != bot.Id)
                .OrderByDescending(t => interests.Contains(t.Topic))
                .ThenByDescending(t => t.Id)
                .Take(ThreadsShown)
                .ToList();
            var replies = posts.Where(p => p.AuthorId != bot.Id
                    && (p.ParentAuthorId == bot.Id || (p.ParentPostId is null && p.ThreadAuthorId == bot.Id)))
                .Take(PostsShown)
                .ToList();
            var fromFollowed = posts.Where(p => followIds.Contains(p.AuthorId) && !replies.Contains(p)).Take(PostsShown).ToList();
            var candidates = authors.Where(a => a.Id != bot.Id && !followIds.Contains(a.Id)).Take(CandidatesShown).ToList();
            return new HeartbeatContext(
                bot,
                memories[bot.Id].ToList(),
                summaries[bot.Id].OrderBy(s => s.PeriodEnd).ToList(),
                follows,
                candidates,
                shownThreads,
                replies,
                fromFollowed,
                votes[bot.Id].ToHashSet());
        }).ToList();
    }

    private static string Excerpt(string text) => text.Length <= ExcerptLength ? text : string.Concat(text.AsSpan(0, ExcerptLength - 1), "…");
}
