using System.Collections.Frozen;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Data.Dialects;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Social;

/// <summary>A bot as other rows name it.</summary>
public sealed record BotRef(int BotId, string BotName);

/// <summary>A thread as the list shows it: an excerpt of its opening and its counters.</summary>
public sealed record ThreadListItem(
    int Id, string Title, string Topic, string Excerpt, BotRef Author, DateTime CreatedAt, DateTime LastActivityAt,
    int ReplyCount, int Score, int Upvotes, int Downvotes);

/// <summary>One vote on a thread: who, which way (<c>up</c> or <c>down</c>), when.</summary>
public sealed record VoteItem(int BotId, string BotName, string Direction, DateTime CreatedAt);

/// <summary>The votes on a thread, counted and listed.</summary>
public sealed record VoteSummary(int Upvotes, int Downvotes, IReadOnlyList<VoteItem> Votes);

/// <summary>A post with the posts that answer it, oldest first.</summary>
public sealed record PostNode(
    int Id, int BotId, string BotName, string Body, DateTime CreatedAt, int Score, int Upvotes, int Downvotes,
    IReadOnlyList<PostNode> Replies);

/// <summary>A whole thread: its opening, its votes and its replies as a tree.</summary>
public sealed record ThreadDetail(
    int Id, string Title, string Topic, string Body, BotRef Author, DateTime CreatedAt, DateTime LastActivityAt,
    int ReplyCount, int Score, VoteSummary Votes, IReadOnlyList<PostNode> Replies);

/// <summary>How the thread list is ordered: newest opening, most replies, best score, latest reply.</summary>
public static class ThreadSorts
{
    public const string Newest = "newest";
    public const string Replies = "replies";
    public const string Votes = "votes";
    public const string Active = "active";

    public static readonly IReadOnlyList<string> All = [Newest, Replies, Votes, Active];
}

/// <summary>A topic and how many threads it has.</summary>
public sealed record TopicCount(string Topic, int Threads);

/// <summary>
/// Which threads to list and in what order: one author's, one topic's, those matching a full-text query (<c>q</c>: every
/// word, in the title, the body or a reply), sorted by <see cref="ThreadSorts"/>.
/// </summary>
public sealed record ThreadFilter(int? BotId = null, string? Topic = null, string? Query = null, string Sort = ThreadSorts.Newest)
{
    public const int MaxQueryLength = 200;

    /// <summary>The bounds <see cref="Parse"/> checks, by query parameter; the API document states them (ApiRules).</summary>
    public static IReadOnlyDictionary<string, FieldRule> Rules { get; } = new Dictionary<string, FieldRule>(StringComparer.Ordinal)
    {
        ["bot_id"] = FieldRule.Id,
        ["sort"] = FieldRule.Choice(ThreadSorts.All),
        ["q"] = new FieldRule { MaxLength = MaxQueryLength },
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Parses raw query values (<c>bot_id</c>, <c>topic</c>, <c>q</c>, <c>sort</c>); errors name the offending parameter.</summary>
    public static (ThreadFilter Filter, IReadOnlyList<FieldError> Errors) Parse(string? botId, string? topic, string? q = null, string? sort = null)
    {
        var errors = new List<FieldError>();
        var author = QueryValues.BotId("bot_id", botId, errors);

        if (q is { Length: > MaxQueryLength })
        {
            errors.Add(new("q", $"must be at most {MaxQueryLength} characters; got {q.Length}"));
        }

        if (!string.IsNullOrEmpty(sort) && !ThreadSorts.All.Contains(sort))
        {
            errors.Add(new("sort", $"must be one of {string.Join(", ", ThreadSorts.All)}; got '{sort}'"));
        }

        // Topics are stored trimmed and lower-case.
        var wanted = string.IsNullOrWhiteSpace(topic) ? null : topic.Trim().ToLowerInvariant();
        return (new ThreadFilter(author, wanted, string.IsNullOrWhiteSpace(q) ? null : q.Trim(), string.IsNullOrEmpty(sort) ? ThreadSorts.Newest : sort), errors);
    }
}

/// <summary>Read side of threads and their posts for the API.</summary>
public sealed class ThreadQueries(IDbContextFactory<BotSocietyDb> dbFactory, Data.Dialects.SqlDialect dialect)
{
    /// <summary>Threads in the filter's order (newest first by default), optionally one author's, one topic's, or a search's.</summary>
    public async Task<Page<ThreadListItem>> ListAsync(Paging paging, ThreadFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var threads = db.Threads.AsNoTracking();
        if (filter.Query is { } query)
        {
            // A query of no searchable word (only short or common words) finds nothing rather than everything.
            var terms = SearchTerms.Of(query);
            if (terms.Count == 0)
            {
                return new Page<ThreadListItem>([], 0, paging.Limit, paging.Offset);
            }

            var matching = dialect.ThreadsMatching(db, terms);
            threads = threads.Where(t => matching.Contains(t.Id));
        }

        if (filter.BotId is { } author)
        {
            threads = threads.Where(t => t.BotId == author);
        }

        if (filter.Topic is { } topic)
        {
            threads = threads.Where(t => t.Topic == topic);
        }

        // The totals come from the kept counters where they can (see SocialTotals); a topic is counted on its index.
        var total = filter switch
        {
            { Topic: not null } or { Query: not null } => await threads.CountAsync(cancellationToken),
            { BotId: { } botId } => (int)(await SocialSums.ReadAsync(db, botId, cancellationToken)).Threads,
            _ => (int)(await SocialSums.ReadAsync(db, cancellationToken)).Threads,
        };
        var ordered = filter.Sort switch
        {
            ThreadSorts.Replies => threads.OrderByDescending(t => t.ReplyCount).ThenByDescending(t => t.Id),
            ThreadSorts.Votes => threads.OrderByDescending(t => t.Score).ThenByDescending(t => t.Id),
            ThreadSorts.Active => threads.OrderByDescending(t => t.LastActivityAt).ThenByDescending(t => t.Id),
            _ => threads.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id),
        };
        var rows = await ordered
            .Skip(paging.Offset).Take(paging.Limit)
            .Select(t => new
            {
                t.Id, t.Title, t.Topic, // One character past the excerpt tells TextCut whether to add the ellipsis; the rest of the body stays in the database.
                Start = t.Body.Substring(0, TextCut.ExcerptLength + 1),
                t.BotId, BotName = t.Bot!.Name, t.CreatedAt, t.LastActivityAt, t.ReplyCount, t.Score,
                Upvotes = db.Votes.Count(v => v.TargetType == VoteTarget.Thread && v.TargetId == t.Id && v.Value > 0),
                Downvotes = db.Votes.Count(v => v.TargetType == VoteTarget.Thread && v.TargetId == t.Id && v.Value < 0),
            })
            .ToListAsync(cancellationToken);
        var items = rows.Select(t => new ThreadListItem(
            t.Id, t.Title, t.Topic, TextCut.Excerpt(t.Start), new BotRef(t.BotId, t.BotName),
            t.CreatedAt, t.LastActivityAt, t.ReplyCount, t.Score, t.Upvotes, t.Downvotes)).ToList();
        return new Page<ThreadListItem>(items, total, paging.Limit, paging.Offset);
    }

    /// <summary>Every topic with its thread count, most threads first (then by name): what the topic filter offers.</summary>
    public async Task<IReadOnlyList<TopicCount>> TopicsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var topics = await db.Threads.AsNoTracking().GroupBy(t => t.Topic).Select(g => new TopicCount(g.Key, g.Count())).ToListAsync(cancellationToken);
        return [.. topics.OrderByDescending(t => t.Threads).ThenBy(t => t.Topic, StringComparer.Ordinal)];
    }

    /// <summary>One thread with its votes and reply tree, or null when there is none with that id.</summary>
    public async Task<ThreadDetail?> GetAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var thread = await db.Threads.AsNoTracking().Where(t => t.Id == id)
            .Select(t => new { t.Id, t.Title, t.Topic, t.Body, t.BotId, BotName = t.Bot!.Name, t.CreatedAt, t.LastActivityAt, t.ReplyCount, t.Score })
            .FirstOrDefaultAsync(cancellationToken);
        if (thread is null)
        {
            return null;
        }

        var votes = await db.Votes.AsNoTracking()
            .Where(v => v.TargetType == VoteTarget.Thread && v.TargetId == id)
            .OrderBy(v => v.CreatedAt).ThenBy(v => v.Id)
            .Select(v => new VoteItem(v.BotId, v.Bot!.Name, v.Value > 0 ? "up" : "down", v.CreatedAt))
            .ToListAsync(cancellationToken);
        var posts = await db.Posts.AsNoTracking()
            .Where(p => p.ThreadId == id)
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
            .Select(p => new { p.Id, p.BotId, BotName = p.Bot!.Name, p.ParentPostId, p.Body, p.CreatedAt, p.Score })
            .ToListAsync(cancellationToken);
        var postIds = posts.Select(p => p.Id).ToList();
        var postVotes = await db.Votes.AsNoTracking()
            .Where(v => v.TargetType == VoteTarget.Post && postIds.Contains(v.TargetId))
            .GroupBy(v => v.TargetId)
            .Select(g => new { PostId = g.Key, Up = g.Count(v => v.Value > 0), Down = g.Count(v => v.Value < 0) })
            .ToDictionaryAsync(x => x.PostId, cancellationToken);

        // One query of the posts, then the tree in memory: children grouped by parent, each level already in order.
        var known = postIds.ToHashSet();
        var children = posts.ToLookup(p => p.ParentPostId is { } parent && known.Contains(parent) ? parent : (int?)null);
        IReadOnlyList<PostNode> Build(int? parent) => children[parent].Select(p =>
        {
            var counts = postVotes.GetValueOrDefault(p.Id);
            return new PostNode(p.Id, p.BotId, p.BotName, p.Body, p.CreatedAt, p.Score, counts?.Up ?? 0, counts?.Down ?? 0, Build(p.Id));
        }).ToList();

        return new ThreadDetail(
            thread.Id, thread.Title, thread.Topic, thread.Body, new BotRef(thread.BotId, thread.BotName), thread.CreatedAt,
            thread.LastActivityAt, thread.ReplyCount, thread.Score,
            new VoteSummary(votes.Count(v => v.Direction == "up"), votes.Count(v => v.Direction == "down"), votes),
            Build(null));
    }
}
