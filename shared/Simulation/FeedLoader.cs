using System.Data.Common;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Data.Dialects;
using BotSociety.Core.Memory;
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

    // A body is read only as far as its excerpt needs: one character past the excerpt's length is enough for
    // TextCut.Excerpt to cut it exactly as it would cut the whole body (SQL counts code points, which are never fewer
    // UTF-16 units), and a snapshot of 240 rows no longer carries their whole text into the process every tick.
    private const int ExcerptSource = TextCut.ExcerptLength + 1;

    // The snapshot's rows, kept between ticks. A small society's tick re-read the same 240 rows with their joins and
    // dates every time, mostly to find the one or two that were new; now each tick reads only the snapshot's ids (and
    // the threads' counts, the one part of a thread or post that changes once written) and fetches the rows it lacks.
    private readonly SnapshotRows<FeedThread> threadRows = new(t => t.Id);
    private readonly SnapshotRows<FeedPost> postRows = new(p => p.Id);

    public async Task<IReadOnlyList<HeartbeatContext>> LoadAsync(BotSocietyDb db, IReadOnlyList<Bot> bots, CancellationToken ct)
    {
        if (bots.Count == 0)
        {
            return [];
        }

        var ids = bots.Select(b => b.Id).ToList();

        // The snapshot is the newest rows by id, asked of the database every tick, so rows that another instance
        // committed (on PostgreSQL, possibly under a lower id than one seen before) are in it as soon as they are visible.
        var threadCounts = await ReadAsync(db, $"SELECT id, reply_count, score FROM threads ORDER BY id DESC LIMIT {SnapshotThreads}", [],
            r => (Id: r.GetInt32(0), Replies: r.GetInt32(1), Score: r.GetInt32(2)), ct);
        var counts = threadCounts.ToDictionary(t => t.Id);
        var postIds = await ReadAsync(db, $"SELECT id FROM posts ORDER BY id DESC LIMIT {SnapshotPosts}", [], r => r.GetInt32(0), ct);

        // The rows are read with plain prepared SQL on the tick's connection, the joins EF made, SQL that SQLite and
        // PostgreSQL both take; bodies are read only as far as their excerpt (ExcerptSource).
        var threads = (await threadRows.ResolveAsync(threadCounts.Select(t => t.Id).ToList(), (low, high) => ReadAsync(db, $"""
                SELECT t.id, t.bot_id, b.name, t.topic, t.title, substr(t.body, 1, {ExcerptSource}), t.reply_count, t.score, t.created_at
                FROM threads t JOIN bots b ON b.id = t.bot_id WHERE t.id >= @p0 AND t.id <= @p1
                """, [low, high], r => new FeedThread(r.GetInt32(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4),
                    TextCut.Excerpt(r.GetString(5)), r.GetInt32(6), r.GetInt32(7), Utc(r.GetDateTime(8))), ct)))
            .Select(thread => counts[thread.Id] is var now && thread.ReplyCount == now.Replies && thread.Score == now.Score
                ? thread
                : thread with { ReplyCount = now.Replies, Score = now.Score })
            .ToList();
        var posts = await postRows.ResolveAsync(postIds, (low, high) => ReadAsync(db, $"""
            SELECT p.id, p.thread_id, t.topic, p.bot_id, b.name, p.parent_post_id, parent.bot_id, t.bot_id, substr(p.body, 1, {ExcerptSource}), p.created_at
            FROM posts p JOIN threads t ON t.id = p.thread_id JOIN bots b ON b.id = p.bot_id LEFT JOIN posts parent ON parent.id = p.parent_post_id
            WHERE p.id >= @p0 AND p.id <= @p1
            """, [low, high], r => new FeedPost(r.GetInt32(0), r.GetInt32(1), r.GetString(2), r.GetInt32(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetInt32(5),
                r.IsDBNull(6) ? null : r.GetInt32(6), r.GetInt32(7), TextCut.Excerpt(r.GetString(8)), Utc(r.GetDateTime(9))), ct));

        // Prominent members let a new society's bots find each other before anyone has posted.
        var notable = await ReadAsync(db, "SELECT id, name FROM bots ORDER BY reputation_score DESC, id LIMIT 10", [],
            r => new BotRef(r.GetInt32(0), r.GetString(1)), ct);

        var following = (await db.Follows.AsNoTracking()
                .Where(f => ids.Contains(f.FollowerId))
                .Select(f => new { f.FollowerId, f.FolloweeId, f.Followee!.Name })
                .ToListAsync(ct))
            .ToLookup(f => f.FollowerId, f => new BotRef(f.FolloweeId, f.Name));

        var memories = (await TopMemoriesAsync(db, ids, memoryOptions.Value.PromptItems, ct)).ToLookup(m => m.BotId);
        var summaries = (await RecentSummariesAsync(db, ids, ct)).ToLookup(m => m.BotId);

        // Every vote on the snapshot's threads and posts (few per target; the (target_type, target_id) index
        // finds them), kept for the due bots in memory: one statement a tick, where one per due bot cost a large tick
        // (a thousand bots) more than the snapshot. The snapshot is the newest rows by id, and ids only grow, so its
        // id range holds exactly its rows.
        var (threadLow, threadHigh) = IdRange(threads.Select(t => t.Id));
        var (postLow, postHigh) = IdRange(posts.Select(p => p.Id));
        var dueIds = ids.ToHashSet();
        var votes = (await ReadAsync(db, """
                SELECT bot_id, 0, target_id FROM votes WHERE target_type = 'Thread' AND target_id >= @p0 AND target_id <= @p1
                UNION ALL
                SELECT bot_id, 1, target_id FROM votes WHERE target_type = 'Post' AND target_id >= @p2 AND target_id <= @p3
                """, [threadLow, threadHigh, postLow, postHigh],
                r => (BotId: r.GetInt32(0), Key: (r.GetInt32(1) == 0 ? VoteTargetKind.Thread : VoteTargetKind.Post, r.GetInt32(2))), ct))
            .Where(v => dueIds.Contains(v.BotId))
            .ToLookup(v => v.BotId, v => v.Key);

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

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    /// <summary>Reads the rows of <paramref name="sql"/> (parameters <c>@p0</c>, <c>@p1</c>, …) on the tick's connection.</summary>
    private static async Task<List<T>> ReadAsync<T>(BotSocietyDb db, string sql, object[] values, Func<DbDataReader, T> read, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            SqlDialect.AddPositional(command, values);

            var result = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                result.Add(read(reader));
            }

            return result;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The lowest and highest id of a snapshot; an empty one gives a range that holds nothing.</summary>
    private static (int Low, int High) IdRange(IEnumerable<int> ids)
    {
        var list = ids.ToList();
        return list.Count == 0 ? (1, 0) : (list.Min(), list.Max());
    }

    /// <summary>
    /// Each bot's newest cold summaries: one prepared <c>LIMIT</c> query per bot on the (bot_id, period_end) index.
    /// Ranking with ROW_NUMBER numbered every summary of the society on every tick, a cost that grew with its history.
    /// </summary>
    private static Task<List<ColdMemory>> RecentSummariesAsync(BotSocietyDb db, List<int> ids, CancellationToken ct) =>
        PerBotAsync(db, ids, """
            SELECT id, bot_id, period_start, period_end, summary, activity_count, activity_id, created_at
            FROM cold_memories WHERE bot_id = @bot ORDER BY period_end DESC, id DESC LIMIT @p0
            """, [SummariesShown],
            reader => new ColdMemory
            {
                Id = reader.GetInt64(0),
                BotId = reader.GetInt32(1),
                PeriodStart = DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc),
                PeriodEnd = DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc),
                Summary = reader.GetString(4),
                ActivityCount = reader.GetInt32(5),
                ActivityId = reader.IsDBNull(6) ? null : reader.GetInt64(6),
                CreatedAt = DateTime.SpecifyKind(reader.GetDateTime(7), DateTimeKind.Utc),
            }, ct);

    /// <summary>
    /// Each bot's most important warm items: one prepared <c>LIMIT</c> query per bot, answered by the
    /// (bot_id, importance) index. Ranking all rows with ROW_NUMBER, or one UNION ALL query per tick that
    /// EF must compile anew, cost ten times more.
    /// </summary>
    private static async Task<List<WarmMemory>> TopMemoriesAsync(BotSocietyDb db, List<int> ids, int perBot, CancellationToken ct) => perBot == 0 ? [] :
        await PerBotAsync(db, ids, """
            SELECT id, bot_id, category, subject, content, source, about_bot_id, sentiment, importance, activity_id, created_at, updated_at
            FROM warm_memories WHERE bot_id = @bot ORDER BY importance DESC, id DESC LIMIT @p0
            """, [perBot],
            reader => new WarmMemory
            {
                Id = reader.GetInt64(0),
                BotId = reader.GetInt32(1),
                Category = Enum.Parse<MemoryCategory>(reader.GetString(2)),
                Subject = reader.GetString(3),
                Content = reader.GetString(4),
                Source = reader.IsDBNull(5) ? null : reader.GetString(5),
                AboutBotId = reader.IsDBNull(6) ? null : reader.GetInt32(6),
                Sentiment = reader.GetDouble(7),
                Importance = reader.GetDouble(8),
                ActivityId = reader.IsDBNull(9) ? null : reader.GetInt64(9),
                CreatedAt = DateTime.SpecifyKind(reader.GetDateTime(10), DateTimeKind.Utc),
                UpdatedAt = DateTime.SpecifyKind(reader.GetDateTime(11), DateTimeKind.Utc),
            }, ct);

    /// <summary>
    /// Runs <paramref name="sql"/> once per bot as one prepared command: <c>@bot</c> is the bot, <c>@p0</c>, <c>@p1</c>, …
    /// the same <paramref name="values"/> for every bot.
    /// </summary>
    private static async Task<List<T>> PerBotAsync<T>(BotSocietyDb db, List<int> ids, string sql, object[] values, Func<DbDataReader, T> read, CancellationToken ct)
    {
        var result = new List<T>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            SqlDialect.AddPositional(command, values);
            var bot = SqlDialect.Add(command, "@bot", null);
            foreach (var id in ids)
            {
                bot.Value = id;
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    result.Add(read(reader));
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return result;
    }

    /// <summary>
    /// Rows of the snapshot by id, kept between ticks. Only for rows whose kept columns never change once written, and
    /// shared by the ticks and queued batches that run at once on this instance (hence the lock).
    /// </summary>
    private sealed class SnapshotRows<T>(Func<T, int> idOf)
    {
        private readonly Lock gate = new();
        private Dictionary<int, T> rows = [];

        /// <summary>
        /// The rows of <paramref name="window"/> in its order. Rows not kept yet are read with <paramref name="readRange"/>
        /// (lowest and highest id missing; within the newest rows by id, that range holds only rows of the window). A row
        /// of the window that the read no longer finds was deleted meanwhile and is left out, as a later snapshot would.
        /// </summary>
        public async Task<List<T>> ResolveAsync(List<int> window, Func<int, int, Task<List<T>>> readRange)
        {
            HashSet<int>? gone = null;
            while (true)
            {
                List<int>? missing = null;
                lock (gate)
                {
                    var result = new List<T>(window.Count);
                    foreach (var id in window)
                    {
                        if (rows.TryGetValue(id, out var row))
                        {
                            result.Add(row);
                        }
                        else if (gone is null || !gone.Contains(id))
                        {
                            (missing ??= []).Add(id);
                        }
                    }

                    if (missing is null)
                    {
                        return result;
                    }
                }

                var read = await readRange(missing.Min(), missing.Max());
                lock (gate)
                {
                    // Kept rows older than every window are dropped now and then; a concurrent batch whose window is a
                    // little older than this one reads the few it then lacks again (the loop above).
                    if (rows.Count > 2 * Math.Max(window.Count, 1) && window.Count > 0)
                    {
                        var oldest = window.Min();
                        rows = rows.Where(r => r.Key >= oldest).ToDictionary();
                    }

                    foreach (var row in read)
                    {
                        rows[idOf(row)] = row;
                    }
                }

                gone ??= [];
                gone.UnionWith(missing.Except(read.Select(idOf)));
            }
        }
    }
}
