using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Memory;
using BotSociety.Core.Social;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Simulation;

/// <summary>
/// What a tick's actions are validated against, loaded in a few batched queries once the models have
/// answered (so it holds exactly the rows those answers name), then kept current in memory as each
/// heartbeat is applied: a later heartbeat of the tick sees an earlier one's votes, follows and scores.
/// </summary>
internal sealed class TickState
{
    public Dictionary<int, BotState> Bots { get; } = [];
    public Dictionary<int, ThreadState> Threads { get; } = [];
    public Dictionary<int, PostState> Posts { get; } = [];
    public HashSet<(int BotId, VoteTarget Target, int TargetId)> Votes { get; } = [];
    public HashSet<(int Follower, int Followee)> Follows { get; } = [];
    public Dictionary<(int BotId, int About), MemoryRow> Relationships { get; } = [];
    public Dictionary<(int BotId, string Topic), MemoryRow> Interests { get; } = [];
    public Dictionary<(int BotId, string Source), MemoryRow> Facts { get; } = [];
    /// <summary>Items per bot and category, counted the first time a heartbeat adds one (most never need it).</summary>
    public Dictionary<(int BotId, MemoryCategory Category), int> MemoryCounts { get; } = [];

    public static async Task<TickState> LoadAsync(BotSocietyDb db, IReadOnlyList<HeartbeatPlan> plans, IReadOnlyList<Bot> capped, CancellationToken ct)
    {
        var state = new TickState();
        var actions = plans.Where(p => p.Action is not null).Select(p => p.Action!).ToList();
        var threadIds = actions.Where(a => a.Action == ActivityActions.Reply && a.ThreadId is not null).Select(a => a.ThreadId!.Value)
            .Concat(actions.Where(a => a.Action == ActivityActions.Vote && a.TargetId is not null && Is(a.TargetType, "thread")).Select(a => a.TargetId!.Value))
            .Distinct().ToList();
        var postIds = actions.Where(a => a.Action == ActivityActions.Reply && a.ParentPostId is not null).Select(a => a.ParentPostId!.Value)
            .Concat(actions.Where(a => a.Action == ActivityActions.Vote && a.TargetId is not null && Is(a.TargetType, "post")).Select(a => a.TargetId!.Value))
            .Distinct().ToList();
        var followeeIds = actions.Where(a => a.Action == ActivityActions.Follow && a.BotId is not null).Select(a => a.BotId!.Value).Distinct().ToList();

        // A query whose id list is empty finds nothing; most ticks of a small society skip several of them.
        foreach (var p in postIds.Count == 0 ? [] : await db.Posts.AsNoTracking().Where(p => postIds.Contains(p.Id))
                     .Select(p => new PostState(p.Id, p.ThreadId, p.BotId) { Score = p.Score }).ToListAsync(ct))
        {
            state.Posts[p.Id] = p;
        }

        var allThreadIds = threadIds.Concat(state.Posts.Values.Select(p => p.ThreadId)).Distinct().ToList();
        foreach (var t in allThreadIds.Count == 0 ? [] : await db.Threads.AsNoTracking().Where(t => allThreadIds.Contains(t.Id))
                     .Select(t => new ThreadState(t.Id, t.BotId, t.Topic, t.Title) { Score = t.Score, ReplyCount = t.ReplyCount }).ToListAsync(ct))
        {
            state.Threads[t.Id] = t;
        }

        var actorIds = plans.Select(p => p.Context.Bot.Id).Concat(capped.Select(b => b.Id)).Distinct().ToList();
        var involved = actorIds.Concat(state.Threads.Values.Select(t => t.AuthorId)).Concat(state.Posts.Values.Select(p => p.AuthorId))
            .Concat(followeeIds).Distinct().ToList();

        // Fresh rows, not the tick's snapshot: an operator may have paused a bot while its model was thinking.
        foreach (var b in await db.Bots.AsNoTracking().Where(b => involved.Contains(b.Id)).ToListAsync(ct))
        {
            state.Bots[b.Id] = new BotState(b);
        }

        foreach (var v in threadIds.Count + postIds.Count == 0 ? [] : await db.Votes.AsNoTracking()
                     .Where(v => actorIds.Contains(v.BotId)
                         && ((v.TargetType == VoteTarget.Thread && threadIds.Contains(v.TargetId)) || (v.TargetType == VoteTarget.Post && postIds.Contains(v.TargetId))))
                     .Select(v => new { v.BotId, v.TargetType, v.TargetId }).ToListAsync(ct))
        {
            state.Votes.Add((v.BotId, v.TargetType, v.TargetId));
        }

        foreach (var f in await db.Follows.AsNoTracking().Where(f => actorIds.Contains(f.FollowerId))
                     .Select(f => new { f.FollowerId, f.FolloweeId }).ToListAsync(ct))
        {
            state.Follows.Add((f.FollowerId, f.FolloweeId));
        }

        // Only the memory rows a heartbeat may update: relationships among the bots in play, the actors'
        // interests, and the facts of bots that search (to recognise a result they already know).
        var searchers = plans.Where(p => p.Action?.Action == ActivityActions.Search).Select(p => p.Context.Bot.Id).Distinct().ToList();
        foreach (var m in await db.WarmMemories.AsNoTracking()
                     .Where(m => m.Category == MemoryCategory.Relationship && involved.Contains(m.BotId) && involved.Contains(m.AboutBotId!.Value))
                     .Select(m => new { m.Id, m.BotId, About = m.AboutBotId!.Value, m.Sentiment, m.Importance }).ToListAsync(ct))
        {
            state.Relationships[(m.BotId, m.About)] = new MemoryRow(m.Id) { Sentiment = m.Sentiment, Importance = m.Importance };
        }

        foreach (var m in await db.WarmMemories.AsNoTracking()
                     .Where(m => m.Category == MemoryCategory.Interest && actorIds.Contains(m.BotId))
                     .Select(m => new { m.Id, m.BotId, m.Subject, m.Importance }).ToListAsync(ct))
        {
            state.Interests[(m.BotId, m.Subject)] = new MemoryRow(m.Id) { Importance = m.Importance };
        }

        foreach (var m in searchers.Count == 0 ? [] : await db.WarmMemories.AsNoTracking()
                     .Where(m => m.Category == MemoryCategory.Fact && searchers.Contains(m.BotId) && m.Source != null)
                     .Select(m => new { m.Id, m.BotId, Source = m.Source!, m.Importance }).ToListAsync(ct))
        {
            state.Facts[(m.BotId, m.Source)] = new MemoryRow(m.Id) { Importance = m.Importance };
        }

        return state;
    }

    private static bool Is(string? value, string expected) => string.Equals(value?.Trim(), expected, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A bot's mutable standing during a tick.</summary>
internal sealed class BotState(Bot bot)
{
    public int Id { get; } = bot.Id;
    public string Name { get; } = bot.Name;
    public bool IsPaused { get; } = bot.IsPaused;
    public PersonalityConfig Config { get; } = bot.PersonalityConfig;
    public double ReputationScore { get; set; } = bot.ReputationScore;
    public long HeartbeatCount { get; set; } = bot.HeartbeatCount;
    public DateTime? LastHeartbeatAt { get; set; } = bot.LastHeartbeatAt;
    public DateOnly? CappedOn { get; set; } = bot.CappedOn;
    public int FailedHeartbeats { get; set; } = bot.FailedHeartbeats;
    public DateTime? FailingSince { get; set; } = bot.FailingSince;
    public string? LastFailureKind { get; set; } = bot.LastFailureKind;

    /// <summary>The due time this heartbeat answers (the schedule as claimed), recorded as <c>due_at</c>.</summary>
    public DateTime DueAt { get; } = bot.NextHeartbeatAt;

    /// <summary>The claim that holds the bot as the tick's transaction reads it.</summary>
    public string? ClaimedBy { get; } = bot.ClaimedBy;
}

internal sealed record ThreadState(int Id, int AuthorId, string Topic, string Title)
{
    public int Score { get; set; }
    public int ReplyCount { get; set; }
}

internal sealed record PostState(int Id, int ThreadId, int AuthorId)
{
    public int Score { get; set; }
}

internal sealed record MemoryRow(long Id)
{
    public double Sentiment { get; set; }
    public double Importance { get; set; }
}
