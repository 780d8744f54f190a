using BotSociety.Core.Bots;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Social;

/// <summary>
/// How many threads, replies, votes and follows a bot has written, kept by the database itself: an AFTER INSERT
/// trigger on each of those tables (migration <c>SocialTotals</c>, one per provider) adds one to the writer's row in
/// the same transaction, whoever inserts (the heartbeat writer, EF Core, a test). The lists' totals and the society's
/// totals read these rows instead of counting the tables: PostgreSQL counts 200,000 rows in 40-90 ms (SQLite reads
/// its smallest index in a few), which alone broke the API's 20 ms target. One row per bot, so instances writing
/// for different bots never wait on each other's counter. The tables are only ever inserted into (a bot's removal
/// cascades to this row as well).
/// </summary>
public sealed class SocialTotals
{
    public int BotId { get; set; }
    public Bot? Bot { get; set; }
    public long Threads { get; set; }
    public long Posts { get; set; }
    public long Votes { get; set; }

    /// <summary>Follows the bot made (as follower).</summary>
    public long Follows { get; set; }
}

/// <summary>The society's sums of <see cref="SocialTotals"/>.</summary>
public sealed record SocialSums(long Threads, long Posts, long Votes, long Follows)
{
    /// <summary>All bots' counters summed: one read of a row per bot.</summary>
    public static async Task<SocialSums> ReadAsync(Data.BotSocietyDb db, CancellationToken cancellationToken) =>
        await db.SocialTotals.AsNoTracking()
            .GroupBy(_ => 1)
            .Select(g => new SocialSums(g.Sum(t => t.Threads), g.Sum(t => t.Posts), g.Sum(t => t.Votes), g.Sum(t => t.Follows)))
            .FirstOrDefaultAsync(cancellationToken)
        ?? new SocialSums(0, 0, 0, 0);

    /// <summary>One bot's counters, zero for a bot that has written nothing (it has no row yet).</summary>
    public static async Task<SocialSums> ReadAsync(Data.BotSocietyDb db, int botId, CancellationToken cancellationToken) =>
        await db.SocialTotals.AsNoTracking()
            .Where(t => t.BotId == botId)
            .Select(t => new SocialSums(t.Threads, t.Posts, t.Votes, t.Follows))
            .FirstOrDefaultAsync(cancellationToken)
        ?? new SocialSums(0, 0, 0, 0);
}
