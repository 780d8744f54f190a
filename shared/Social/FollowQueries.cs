using BotSociety.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Social;

/// <summary>A bot on the other end of a follow, and since when.</summary>
public sealed record FollowItem(int BotId, string BotName, double ReputationScore, DateTime Since);

/// <summary>Read side of follows for the API.</summary>
public sealed class FollowQueries(IDbContextFactory<BotSocietyDb> dbFactory)
{
    /// <summary>Who follows the bot, newest first; null when there is no such bot.</summary>
    public async Task<Page<FollowItem>?> FollowersAsync(int botId, Paging paging, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Bots.AnyAsync(b => b.Id == botId, cancellationToken))
        {
            return null;
        }

        var follows = db.Follows.AsNoTracking().Where(f => f.FolloweeId == botId);
        var total = await follows.CountAsync(cancellationToken);
        var items = await follows
            .OrderByDescending(f => f.CreatedAt).ThenBy(f => f.FollowerId)
            .Skip(paging.Offset).Take(paging.Limit)
            .Select(f => new FollowItem(f.FollowerId, f.Follower!.Name, f.Follower.ReputationScore, f.CreatedAt))
            .ToListAsync(cancellationToken);
        return new Page<FollowItem>(items, total, paging.Limit, paging.Offset);
    }

    /// <summary>Whom the bot follows, newest first; null when there is no such bot.</summary>
    public async Task<Page<FollowItem>?> FollowingAsync(int botId, Paging paging, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Bots.AnyAsync(b => b.Id == botId, cancellationToken))
        {
            return null;
        }

        var follows = db.Follows.AsNoTracking().Where(f => f.FollowerId == botId);
        var total = await follows.CountAsync(cancellationToken);
        var items = await follows
            .OrderByDescending(f => f.CreatedAt).ThenBy(f => f.FolloweeId)
            .Skip(paging.Offset).Take(paging.Limit)
            .Select(f => new FollowItem(f.FolloweeId, f.Followee!.Name, f.Followee.ReputationScore, f.CreatedAt))
            .ToListAsync(cancellationToken);
        return new Page<FollowItem>(items, total, paging.Limit, paging.Offset);
    }
}
