using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Social;

/// <summary>
/// One vote as the society's vote list shows it: who voted which way on what, whose content that was, and the
/// thread it belongs to (a vote on a reply names the reply's thread), so a client can link to it.
/// </summary>
public sealed record VoteListItem(
    int Id, BotRef Voter, string Direction, VoteTarget TargetType, int TargetId, int ThreadId, BotRef TargetAuthor, DateTime CreatedAt);

/// <summary>Which votes to list: cast by one bot, on one bot's content, in one thread (its opening and its replies).</summary>
public sealed record VoteFilter(int? BotId = null, int? TargetBotId = null, int? ThreadId = null)
{
    /// <summary>Parses raw query values (<c>bot_id</c>, <c>target_bot_id</c>, <c>thread_id</c>); errors name the offending parameter.</summary>
    public static (VoteFilter Filter, IReadOnlyList<FieldError> Errors) Parse(string? botId, string? targetBotId, string? threadId)
    {
        var errors = new List<FieldError>();
        var filter = new VoteFilter(QueryValues.BotId("bot_id", botId, errors), QueryValues.BotId("target_bot_id", targetBotId, errors),
            QueryValues.Id("thread_id", threadId, errors));
        return (filter, errors);
    }
}

/// <summary>Read side of votes for the API: every vote in the society, newest first, filtered and paged.</summary>
public sealed class VoteQueries(IDbContextFactory<BotSocietyDb> dbFactory)
{
    public async Task<Page<VoteListItem>> ListAsync(Paging paging, VoteFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var votes = db.Votes.AsNoTracking();
        if (filter.BotId is { } voter)
        {
            votes = votes.Where(v => v.BotId == voter);
        }

        if (filter.TargetBotId is { } author)
        {
            votes = votes.Where(v => v.TargetBotId == author);
        }

        if (filter.ThreadId is { } thread)
        {
            // A thread's votes are those on its opening and on its replies. The replies' ids are read first and sent as
            // a list: as a subquery inside the OR, PostgreSQL scanned every vote on any reply (72 ms even for a thread
            // with none), while a list lets both sides of the OR use the target index.
            var replies = await db.Posts.Where(p => p.ThreadId == thread).Select(p => p.Id).ToListAsync(cancellationToken);
            votes = votes.Where(v => (v.TargetType == VoteTarget.Thread && v.TargetId == thread)
                || (v.TargetType == VoteTarget.Post && replies.Contains(v.TargetId)));
        }

        // Unfiltered or by voter, the total is the kept counter (see SocialTotals); other filters count on an index.
        var total = filter switch
        {
            { TargetBotId: null, ThreadId: null, BotId: { } botId } => (int)(await SocialSums.ReadAsync(db, botId, cancellationToken)).Votes,
            { TargetBotId: null, ThreadId: null } => (int)(await SocialSums.ReadAsync(db, cancellationToken)).Votes,
            _ => await votes.CountAsync(cancellationToken),
        };
        var page = await votes
            .OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id)
            .Skip(paging.Offset).Take(paging.Limit)
            .Select(v => new { v.Id, v.BotId, v.Value, v.TargetType, v.TargetId, v.TargetBotId, v.CreatedAt })
            .ToListAsync(cancellationToken);

        // Names and the replies' threads for this page only: a join over every vote would cost the whole table. Only
        // the two columns are read: whole bots and replies carry their personality and text (4 ms against 0.9).
        var botIds = page.SelectMany(v => new[] { v.BotId, v.TargetBotId }).Distinct().ToList();
        var names = await db.Bots.Where(b => botIds.Contains(b.Id)).Select(b => new { b.Id, b.Name })
            .ToDictionaryAsync(b => b.Id, b => b.Name, cancellationToken);
        var postIds = page.Where(v => v.TargetType == VoteTarget.Post).Select(v => v.TargetId).Distinct().ToList();
        var threadOfPost = await db.Posts.Where(p => postIds.Contains(p.Id)).Select(p => new { p.Id, p.ThreadId })
            .ToDictionaryAsync(p => p.Id, p => p.ThreadId, cancellationToken);
        return new Page<VoteListItem>(
            [.. page.Select(v => new VoteListItem(
                v.Id, new BotRef(v.BotId, names.GetValueOrDefault(v.BotId, "")), v.Value > 0 ? "up" : "down", v.TargetType, v.TargetId,
                v.TargetType == VoteTarget.Thread ? v.TargetId : threadOfPost.GetValueOrDefault(v.TargetId),
                new BotRef(v.TargetBotId, names.GetValueOrDefault(v.TargetBotId, "")), v.CreatedAt))],
            total, paging.Limit, paging.Offset);
    }
}
