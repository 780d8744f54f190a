using BotSociety.Core.Data;
using BotSociety.Core.Reputation;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Graph;

/// <summary>A bot in the graph: its reputation and how many bots follow it, as of the graph's moment.</summary>
public sealed record GraphNode(int BotId, string Name, double Reputation, int Followers, int Following);

/// <summary>
/// A directed edge from <c>source</c> to <c>target</c>. <c>follow</c>: source follows target (weight 1).
/// <c>reply</c> and <c>vote</c>: how many times source replied to or voted on target's writing in the window
/// (weight), a vote's sentiment being its tone, (ups − downs) / votes. <c>relationship</c>: source's feeling about
/// target (sentiment in [-1, 1]) and, as weight, the interactions between them in the window that moved it.
/// Every kind but vote carries source's feeling about target as its sentiment (null when it has none).
/// </summary>
public sealed record GraphEdge(int Source, int Target, string Kind, int Weight, double? Sentiment);

/// <summary>The society as a graph at a moment: who follows whom, and who feels what about whom.</summary>
public sealed record SocietyGraph(DateTime? Since, DateTime? AsOf, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges);

/// <summary>Edge kinds as the API names them.</summary>
public static class GraphEdgeKinds
{
    public const string Follow = "follow";
    public const string Reply = "reply";
    public const string Vote = "vote";
    public const string Relationship = "relationship";
}

/// <summary>
/// Reads the social graph in three aggregate queries, whatever the size of the society: the bots with their
/// reputation, the follows, and the relationship events grouped by pair. The events hold every interaction that
/// moved a feeling (a reply, a vote, a follow, from both ends), so one GROUP BY gives the reply and vote counts and
/// each feeling; a feeling is the clamped sum of its moves, as the heartbeat keeps it in warm memory.
/// </summary>
public sealed class GraphQueries(IDbContextFactory<BotSocietyDb> dbFactory, TimeProvider time)
{
    public async Task<SocietyGraph> GetAsync(GraphQuery query, CancellationToken cancellationToken)
    {
        // "Now" is a bound like any other, so a graph read while the society writes holds no half-written tick.
        var asOf = query.AsOf ?? time.GetUtcNow().UtcDateTime;
        var since = query.Since;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        var nodes = await NodesAsync(db, query.AsOf, asOf, cancellationToken);
        var known = nodes.Select(n => n.Id).ToHashSet();

        var follows = await db.Follows.AsNoTracking()
            .Where(f => f.CreatedAt < asOf)
            .Select(f => new { f.FollowerId, f.FolloweeId })
            .ToListAsync(cancellationToken);

        var pairs = await db.RelationshipEvents.AsNoTracking()
            .Where(e => e.CreatedAt < asOf)
            .GroupBy(e => new { e.BotId, e.OtherBotId })
            .Select(g => new
            {
                g.Key.BotId,
                g.Key.OtherBotId,
                Feeling = g.Sum(e => e.SentimentDelta),
                Moves = g.Sum(e => since == null || e.CreatedAt >= since ? 1 : 0),
                Replies = g.Sum(e => (since == null || e.CreatedAt >= since) && e.Kind == "replied" ? 1 : 0),
                Ups = g.Sum(e => (since == null || e.CreatedAt >= since) && e.Kind == "upvoted" ? 1 : 0),
                Downs = g.Sum(e => (since == null || e.CreatedAt >= since) && e.Kind == "downvoted" ? 1 : 0),
            })
            .ToListAsync(cancellationToken);

        var feelings = pairs.ToDictionary(p => (p.BotId, p.OtherBotId), p => Math.Round(Math.Clamp(p.Feeling, -1, 1), 4));
        var edges = new List<GraphEdge>(follows.Count + (pairs.Count * 2));
        foreach (var f in follows.Where(f => known.Contains(f.FollowerId) && known.Contains(f.FolloweeId)))
        {
            edges.Add(new(f.FollowerId, f.FolloweeId, GraphEdgeKinds.Follow, 1, Feeling(feelings, f.FollowerId, f.FolloweeId)));
        }

        foreach (var p in pairs.Where(p => known.Contains(p.BotId) && known.Contains(p.OtherBotId)).OrderBy(p => p.BotId).ThenBy(p => p.OtherBotId))
        {
            var feeling = feelings[(p.BotId, p.OtherBotId)];
            edges.Add(new(p.BotId, p.OtherBotId, GraphEdgeKinds.Relationship, p.Moves, feeling));
            if (p.Replies > 0)
            {
                edges.Add(new(p.BotId, p.OtherBotId, GraphEdgeKinds.Reply, p.Replies, feeling));
            }

            if (p.Ups + p.Downs > 0)
            {
                edges.Add(new(p.BotId, p.OtherBotId, GraphEdgeKinds.Vote, p.Ups + p.Downs, Math.Round((double)(p.Ups - p.Downs) / (p.Ups + p.Downs), 4)));
            }
        }

        var followers = follows.GroupBy(f => f.FolloweeId).ToDictionary(g => g.Key, g => g.Count());
        var following = follows.GroupBy(f => f.FollowerId).ToDictionary(g => g.Key, g => g.Count());
        var graphNodes = nodes.Select(n => new GraphNode(n.Id, n.Name, n.Reputation, followers.GetValueOrDefault(n.Id), following.GetValueOrDefault(n.Id))).ToList();
        return new SocietyGraph(since, query.AsOf, graphNodes, edges);
    }

    private static double? Feeling(Dictionary<(int, int), double> feelings, int from, int about) =>
        feelings.TryGetValue((from, about), out var feeling) ? feeling : null;

    /// <summary>
    /// The bots that existed at the moment, with their reputation then: now, the bot's own score; in the past, the
    /// score of its last ten-minute bucket that ended by then (a seek on the bucket key per bot), or the starting
    /// score before its first. A bucket still open at <paramref name="asOf"/> holds later rows, so it is not used.
    /// </summary>
    private static async Task<List<(int Id, string Name, double Reputation)>> NodesAsync(
        BotSocietyDb db, DateTime? past, DateTime asOf, CancellationToken cancellationToken)
    {
        var bots = db.Bots.AsNoTracking().Where(b => b.CreatedAt < asOf).OrderBy(b => b.Id);
        if (past is null)
        {
            return [.. (await bots.Select(b => new { b.Id, b.Name, b.ReputationScore }).ToListAsync(cancellationToken))
                .Select(b => (b.Id, b.Name, Math.Round(b.ReputationScore, 2)))];
        }

        var cut = ReputationBucket.BucketOf(asOf);
        var rows = await bots.Select(b => new
        {
            b.Id,
            b.Name,
            Score = db.ReputationBuckets.Where(r => r.BotId == b.Id && r.Bucket < cut).OrderByDescending(r => r.Bucket).Select(r => (double?)r.Score).FirstOrDefault(),
        }).ToListAsync(cancellationToken);
        return [.. rows.Select(b => (b.Id, b.Name, Math.Round(b.Score ?? ReputationRules.StartingScore, 2)))];
    }
}
