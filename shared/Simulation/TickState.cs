using System.Data.Common;
using BotSociety.Core.Bots;
using BotSociety.Core.Data.Dialects;
using BotSociety.Core.Memory;
using BotSociety.Core.Social;

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

    /// <summary>
    /// Reads the state on the tick's connection and transaction, as prepared SQL: each id list is one parameter
    /// (<see cref="SqlDialect.InIds"/>), so a statement's text is the same whatever the tick's size. EF Core built new SQL
    /// for every list length and materialised whole bot rows; at one or two heartbeats a tick (the demo society) those
    /// eight queries were a large part of each tick.
    /// </summary>
    public static TickState Load(HeartbeatWriter sql, SqlDialect dialect, IReadOnlyList<HeartbeatPlan> plans, IReadOnlyList<Bot> capped)
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
        if (postIds.Count > 0)
        {
            sql.Read($"SELECT id, thread_id, bot_id, score FROM posts WHERE {dialect.InIds("id", "@p0")}",
                r => state.Posts[r.GetInt32(0)] = new PostState(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2)) { Score = r.GetInt32(3) },
                dialect.Ids(postIds));
        }

        var allThreadIds = threadIds.Concat(state.Posts.Values.Select(p => p.ThreadId)).Distinct().ToList();
        if (allThreadIds.Count > 0)
        {
            sql.Read($"SELECT id, bot_id, topic, title, score, reply_count FROM threads WHERE {dialect.InIds("id", "@p0")}",
                r => state.Threads[r.GetInt32(0)] = new ThreadState(r.GetInt32(0), r.GetInt32(1), r.GetString(2), r.GetString(3))
                {
                    Score = r.GetInt32(4), ReplyCount = r.GetInt32(5),
                },
                dialect.Ids(allThreadIds));
        }

        var actorIds = plans.Select(p => p.Context.Bot.Id).Concat(capped.Select(b => b.Id)).Distinct().ToList();
        var involved = actorIds.Concat(state.Threads.Values.Select(t => t.AuthorId)).Concat(state.Posts.Values.Select(p => p.AuthorId))
            .Concat(followeeIds).Distinct().ToList();
        var (actors, everyone) = (dialect.Ids(actorIds), dialect.Ids(involved));

        // Fresh rows, not the tick's snapshot: an operator may have paused a bot while its model was thinking.
        sql.Read(
            "SELECT id, name, is_paused, personality_config, reputation_score, heartbeat_count, last_heartbeat_at, capped_on, failed_heartbeats, "
            + $"failing_since, last_failure_kind, next_heartbeat_at, claimed_by FROM bots WHERE {dialect.InIds("id", "@p0")}",
            r => state.Bots[r.GetInt32(0)] = new BotState(r),
            everyone);

        if (threadIds.Count + postIds.Count > 0)
        {
            sql.Read(
                $"SELECT bot_id, target_type, target_id FROM votes WHERE {dialect.InIds("bot_id", "@p0")} "
                + $"AND ((target_type = 'Thread' AND {dialect.InIds("target_id", "@p1")}) OR (target_type = 'Post' AND {dialect.InIds("target_id", "@p2")}))",
                r => state.Votes.Add((r.GetInt32(0), Enum.Parse<VoteTarget>(r.GetString(1)), r.GetInt32(2))),
                actors, dialect.Ids(threadIds), dialect.Ids(postIds));
        }

        sql.Read($"SELECT follower_id, followee_id FROM follows WHERE {dialect.InIds("follower_id", "@p0")}",
            r => state.Follows.Add((r.GetInt32(0), r.GetInt32(1))),
            actors);

        // Only the memory rows a heartbeat may update: relationships among the bots in play, the actors'
        // interests, and the facts of bots that search (to recognise a result they already know).
        sql.Read(
            "SELECT id, bot_id, about_bot_id, sentiment, importance FROM warm_memories WHERE category = 'Relationship' "
            + $"AND {dialect.InIds("bot_id", "@p0")} AND {dialect.InIds("about_bot_id", "@p1")}",
            r => state.Remember(state.Relationships, (r.GetInt32(1), r.GetInt32(2)), new MemoryRow(r.GetInt64(0)) { Sentiment = r.GetDouble(3), Importance = r.GetDouble(4) }),
            everyone, everyone);

        sql.Read($"SELECT id, bot_id, subject, importance FROM warm_memories WHERE category = 'Interest' AND {dialect.InIds("bot_id", "@p0")}",
            r => state.Remember(state.Interests, (r.GetInt32(1), r.GetString(2)), new MemoryRow(r.GetInt64(0)) { Importance = r.GetDouble(3) }),
            actors);

        var searchers = plans.Where(p => p.Action?.Action == ActivityActions.Search).Select(p => p.Context.Bot.Id).Distinct().ToList();
        if (searchers.Count > 0)
        {
            sql.Read(
                $"SELECT id, bot_id, source, importance FROM warm_memories WHERE category = 'Fact' AND {dialect.InIds("bot_id", "@p0")} AND source IS NOT NULL",
                r => state.Remember(state.Facts, (r.GetInt32(1), r.GetString(2)), new MemoryRow(r.GetInt64(0)) { Importance = r.GetDouble(3) }),
                dialect.Ids(searchers));
        }

        return state;
    }

    /// <summary>Keeps a memory row in its map, and how to drop it again should it be evicted.</summary>
    public void Remember<TKey>(Dictionary<TKey, MemoryRow> rows, TKey key, MemoryRow row)
        where TKey : notnull
    {
        rows[key] = row;

        // Only while the key still names this row: another row read under the same key may have replaced it.
        forget[row.Id] = () =>
        {
            if (rows.TryGetValue(key, out var current) && current.Id == row.Id)
            {
                rows.Remove(key);
            }
        };
    }

    /// <summary>
    /// Drops evicted items from the maps, by id: scanning the maps instead walked every row of the tick for each eviction,
    /// and a bot whose category is full evicts on every new item of it.
    /// </summary>
    public void Forget(IEnumerable<long> ids)
    {
        foreach (var id in ids)
        {
            if (forget.Remove(id, out var drop))
            {
                drop();
            }
        }
    }

    private readonly Dictionary<long, Action> forget = [];

    private static bool Is(string? value, string expected) => string.Equals(value?.Trim(), expected, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A bot's mutable standing during a tick.</summary>
internal sealed class BotState(DbDataReader row)
{
    public int Id { get; } = row.GetInt32(0);
    public string Name { get; } = row.GetString(1);
    public bool IsPaused { get; } = row.GetBoolean(2);

    // The same cache EF Core's converter parses through: a config is parsed once per distinct text.
    public PersonalityConfig Config { get; } = PersonalityConfigCache.Parse(row.GetString(3));
    public double ReputationScore { get; set; } = row.GetDouble(4);
    public long HeartbeatCount { get; set; } = row.GetInt64(5);
    public DateTime? LastHeartbeatAt { get; set; } = Utc(row, 6);
    public DateOnly? CappedOn { get; set; } = row.IsDBNull(7) ? null : row.GetFieldValue<DateOnly>(7);
    public int FailedHeartbeats { get; set; } = row.GetInt32(8);
    public DateTime? FailingSince { get; set; } = Utc(row, 9);
    public string? LastFailureKind { get; set; } = row.IsDBNull(10) ? null : row.GetString(10);

    /// <summary>The due time this heartbeat answers (the schedule as claimed), recorded as <c>due_at</c>.</summary>
    public DateTime DueAt { get; } = Utc(row, 11)!.Value;

    /// <summary>The claim that holds the bot as the tick's transaction reads it.</summary>
    public string? ClaimedBy { get; } = row.IsDBNull(12) ? null : row.GetString(12);

    // Every instant is written as UTC; read back as UTC, as the model's converter does (SQLite keeps only the text).
    private static DateTime? Utc(DbDataReader row, int i) => row.IsDBNull(i) ? null : DateTime.SpecifyKind(row.GetDateTime(i), DateTimeKind.Utc);
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
