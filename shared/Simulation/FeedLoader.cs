using System.Data.Common;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
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

    public async Task<IReadOnlyList<HeartbeatContext>> LoadAsync(BotSocietyDb db, IReadOnlyList<Bot> bots, CancellationToken ct)
    {
        if (bots.Count == 0)
        {
            return [];
        }

        var ids = bots.Select(b => b.Id).ToList();
        // The snapshot is read with plain prepared SQL on the tick's connection: it runs on every tick, and through EF
        // its five queries cost more than the rest of a one-bot tick's reads together (materialising anonymous rows,
        // a command each). The statements are the joins EF made (newest first, stopping at the limit), SQL that
        // SQLite and PostgreSQL both take; bodies are read only as far as their excerpt (ExcerptSource).
        var threads = await ReadAsync(db, $"""
            SELECT t.id, t.bot_id, b.name, t.topic, t.title, substr(t.body, 1, {ExcerptSource}), t.reply_count, t.score, t.created_at
            FROM threads t JOIN bots b ON b.id = t.bot_id ORDER BY t.id DESC LIMIT {SnapshotThreads}
            """, [], r => new FeedThread(r.GetInt32(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4), TextCut.Excerpt(r.GetString(5)),
                r.GetInt32(6), r.GetInt32(7), Utc(r.GetDateTime(8))), ct);
        var posts = await ReadAsync(db, $"""
            SELECT p.id, p.thread_id, t.topic, p.bot_id, b.name, p.parent_post_id, parent.bot_id, t.bot_id, substr(p.body, 1, {ExcerptSource}), p.created_at
            FROM posts p JOIN threads t ON t.id = p.thread_id JOIN bots b ON b.id = p.bot_id LEFT JOIN posts parent ON parent.id = p.parent_post_id
            ORDER BY p.id DESC LIMIT {SnapshotPosts}
            """, [], r => new FeedPost(r.GetInt32(0), r.GetInt32(1), r.GetString(2), r.GetInt32(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetInt32(5),
                r.IsDBNull(6) ? null : r.GetInt32(6), r.GetInt32(7), TextCut.Excerpt(r.GetString(8)), Utc(r.GetDateTime(9))), ct);

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
        // finds them), kept for the due bots in memory: filtering by voter in SQL made SQLite scan by voter.
        // The snapshot is the newest rows by id, and ids only grow, so its id range holds exactly its rows.
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
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                parameter.Value = values[i];
                command.Parameters.Add(parameter);
            }

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
        PerBotAsync(db, ids, SummariesShown, """
            SELECT id, bot_id, period_start, period_end, summary, activity_count, activity_id, created_at
            FROM cold_memories WHERE bot_id = @bot ORDER BY period_end DESC, id DESC LIMIT @limit
            """,
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
    private static Task<List<WarmMemory>> TopMemoriesAsync(BotSocietyDb db, List<int> ids, int perBot, CancellationToken ct) =>
        PerBotAsync(db, ids, perBot, """
            SELECT id, bot_id, category, subject, content, source, about_bot_id, sentiment, importance, activity_id, created_at, updated_at
            FROM warm_memories WHERE bot_id = @bot ORDER BY importance DESC, id DESC LIMIT @limit
            """,
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

    /// <summary>Runs <paramref name="sql"/> (with <c>@bot</c> and <c>@limit</c>) once per bot as one prepared command.</summary>
    private static async Task<List<T>> PerBotAsync<T>(BotSocietyDb db, List<int> ids, int perBot, string sql, Func<DbDataReader, T> read, CancellationToken ct)
    {
        var result = new List<T>();
        if (perBot == 0)
        {
            return result;
        }

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            var bot = command.CreateParameter();
            bot.ParameterName = "@bot";
            command.Parameters.Add(bot);
            var limit = command.CreateParameter();
            limit.ParameterName = "@limit";
            limit.Value = perBot;
            command.Parameters.Add(limit);
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
}
