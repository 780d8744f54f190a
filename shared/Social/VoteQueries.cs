using System.Globalization;
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
        var filter = new VoteFilter(Id("bot_id", botId), Id("target_bot_id", targetBotId), Id("thread_id", threadId));
        return (filter, errors);

        int? Id(string field, string? raw)
        {
            if (string.IsNullOrEmpty(raw))
            {
                return null;
            }

            if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return id;
            }

            errors.Add(new(field, $"must be a numeric id; got '{raw}'"));
            return null;
        }
    }
}

/// <summary>Read side of votes for the API: every vote in the society, newest first, filtered and paged.</summary>
public sealed class VoteQueries(IDbContextFactory<BotSocietyDb> dbFactory)
{
    public async Task<Page<VoteListItem>> ListAsync(Paging paging, VoteFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // A vote on a reply belongs to the reply's thread; the left join keeps thread votes, whose target is the thread.
        var votes =
            from v in db.Votes.AsNoTracking()
            join p in db.Posts on new { Type = v.TargetType, v.TargetId } equals new { Type = VoteTarget.Post, TargetId = p.Id } into replies
            from p in replies.DefaultIfEmpty()
            select new { Vote = v, ThreadId = v.TargetType == VoteTarget.Thread ? v.TargetId : p.ThreadId };
        if (filter.BotId is { } voter)
        {
            votes = votes.Where(x => x.Vote.BotId == voter);
        }

        if (filter.TargetBotId is { } author)
        {
            votes = votes.Where(x => x.Vote.TargetBotId == author);
        }

        if (filter.ThreadId is { } thread)
        {
            votes = votes.Where(x => x.ThreadId == thread);
        }

        var total = await votes.CountAsync(cancellationToken);
        var items = await votes
            .OrderByDescending(x => x.Vote.CreatedAt).ThenByDescending(x => x.Vote.Id)
            .Skip(paging.Offset).Take(paging.Limit)
            .Select(x => new
            {
                x.Vote.Id, x.Vote.BotId, VoterName = x.Vote.Bot!.Name, x.Vote.Value, x.Vote.TargetType, x.Vote.TargetId, x.ThreadId,
                x.Vote.TargetBotId, x.Vote.CreatedAt,
            })
            .ToListAsync(cancellationToken);

        var authorIds = items.Select(i => i.TargetBotId).Distinct().ToList();
        var authors = await db.Bots.AsNoTracking().Where(b => authorIds.Contains(b.Id)).ToDictionaryAsync(b => b.Id, b => b.Name, cancellationToken);
        return new Page<VoteListItem>(
            [.. items.Select(i => new VoteListItem(
                i.Id, new BotRef(i.BotId, i.VoterName), i.Value > 0 ? "up" : "down", i.TargetType, i.TargetId, i.ThreadId,
                new BotRef(i.TargetBotId, authors.GetValueOrDefault(i.TargetBotId, "")), i.CreatedAt))],
            total, paging.Limit, paging.Offset);
    }
}
