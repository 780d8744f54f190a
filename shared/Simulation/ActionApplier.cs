using System.Globalization;
using System.Text.Json.Nodes;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Llm;
using BotSociety.Core.Memory;
using BotSociety.Core.Realtime;
using BotSociety.Core.Reputation;
using BotSociety.Core.Search;
using BotSociety.Core.Social;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BotSociety.Core.Simulation;

/// <summary>
/// Validates a planned action against the database as it is now and applies it in ONE transaction
/// with its usage, reputation, relationships, memory, schedule and activity row: all of it or none.
/// </summary>
public sealed partial class ActionApplier(
    IDbContextFactory<BotSocietyDb> dbFactory,
    MemoryWriter memory,
    ISearchProvider search,
    ILogger<ActionApplier> logger)
{
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 2000;
    public const int MaxQueryLength = 200;
    private const int ExcerptLength = 140;

    /// <summary>Applies the plan; returns the event to publish, or null if the bot was paused meanwhile.</summary>
    public async Task<SocietyEvent?> ApplyAsync(HeartbeatPlan plan, long societySeed, Pace pace, DateTime now, CancellationToken cancellationToken)
    {
        if (plan.Failure is not null)
        {
            return await RecordFailureAsync(plan, plan.FailureStage ?? "model", plan.Failure, societySeed, pace, now, cancellationToken);
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var bot = await db.Bots.SingleAsync(b => b.Id == plan.Context.Bot.Id, cancellationToken);
            if (bot.IsPaused)
            {
                // Paused between the model call and now: the operator's pause wins, and nothing is written.
                return null;
            }

            var activity = NewActivity(bot, plan, now);
            var details = new JsonObject();
            var error = await ExecuteAsync(db, bot, plan.Action!, activity, details, now, cancellationToken);
            if (error is not null)
            {
                await transaction.RollbackAsync(cancellationToken);
                return await RecordFailureAsync(plan, "validate", error, societySeed, pace, now, cancellationToken);
            }

            await FinishAsync(db, bot, plan, activity, details, societySeed, pace, now, cancellationToken);
            var added = db.ChangeTracker.Entries<WarmMemory>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
            await db.SaveChangesAsync(cancellationToken);

            // Bound the memory of every bot and category that gained an item: the actor's, and that of whoever it
            // replied to, voted on or followed. Updates of existing items cannot overflow a bound.
            var grown = added.Select(m => (m.BotId, m.Category)).Distinct().Order().ToList();
            foreach (var (botId, category) in grown)
            {
                await memory.EnforceBoundsAsync(db, botId, category, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return ToEvent(activity, bot, details, SocietyEventTypes.HeartbeatComplete);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
        {
            // The transaction is gone with its context: nothing of the action was written. Say why in the log.
            LogApplyFailed(ex, plan.Context.Bot.Id, plan.Action?.Action ?? "?");
            return await RecordFailureAsync(plan, "apply", $"the action could not be saved: {ex.GetBaseException().Message}", societySeed, pace, now, cancellationToken);
        }
    }

    /// <summary>Logs <c>usage_capped</c> once per UTC day per bot, and moves the bot's next heartbeat on either way.</summary>
    public async Task<SocietyEvent?> RecordCappedAsync(Bot snapshot, CapStatus status, long societySeed, Pace pace, DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var bot = await db.Bots.SingleAsync(b => b.Id == snapshot.Id, cancellationToken);
        var today = DateOnly.FromDateTime(now);
        Schedule(bot, societySeed, now, pace);
        if (bot.CappedOn == today)
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }

        bot.CappedOn = today;
        var details = new JsonObject
        {
            ["reason"] = status.Reason,
            ["tokens_today"] = status.TokensToday,
            ["token_cap"] = status.TokenCap,
            ["token_cap_source"] = status.TokenCapIsCustom ? "custom" : "default",
            ["cost_today_usd"] = status.CostTodayUsd,
            ["cost_cap_usd"] = status.CostCapUsd,
            ["cost_cap_source"] = status.CostCapIsCustom ? "custom" : "default",
            ["resumes_at"] = today.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture),
            ["reputation_score"] = bot.ReputationScore,
        };
        var activity = new ActivityLogEntry
        {
            EventId = NewEventId(now),
            BotId = bot.Id,
            Action = ActivityActions.UsageCapped,
            Details = details.ToJsonString(SocietyJson.Options),
            CreatedAt = now,
        };
        db.ActivityLog.Add(activity);
        await db.SaveChangesAsync(cancellationToken);
        return ToEvent(activity, bot, details, SocietyEventTypes.UsageCapped);
    }

    private async Task<string?> ExecuteAsync(BotSocietyDb db, Bot bot, BotAction action, ActivityLogEntry activity, JsonObject details, DateTime now, CancellationToken ct)
    {
        switch (action.Action)
        {
            case ActivityActions.CreateThread:
                return await CreateThreadAsync(db, bot, action, activity, details, now, ct);
            case ActivityActions.Reply:
                return await ReplyAsync(db, bot, action, activity, details, now, ct);
            case ActivityActions.Vote:
                return await VoteAsync(db, bot, action, activity, details, now, ct);
            case ActivityActions.Follow:
                return await FollowAsync(db, bot, action, activity, details, now, ct);
            case ActivityActions.Search:
                return await SearchAsync(db, bot, action, activity, details, now, ct);
            case ActivityActions.Rest:
                if (action.Reason is { Length: > 500 })
                {
                    return "rest.reason is longer than 500 characters";
                }

                details["reason"] = action.Reason ?? "";
                return null;
            default:
                return $"unknown action '{action.Action}'";
        }
    }

    private static async Task<string?> CreateThreadAsync(BotSocietyDb db, Bot bot, BotAction action, ActivityLogEntry activity, JsonObject details, DateTime now, CancellationToken ct)
    {
        var title = action.Title?.Trim() ?? "";
        var body = action.Body?.Trim() ?? "";
        var topic = string.IsNullOrWhiteSpace(action.Topic) ? bot.PersonalityConfig.Personality.Interests[0] : action.Topic.Trim().ToLowerInvariant();
        if (title.Length is < 3 or > MaxTitleLength)
        {
            return $"create_thread.title must be 3 to {MaxTitleLength} characters (got {title.Length})";
        }

        if (body.Length is < 1 or > MaxBodyLength)
        {
            return $"create_thread.body must be 1 to {MaxBodyLength} characters (got {body.Length})";
        }

        if (topic.Length > 64)
        {
            return "create_thread.topic must be at most 64 characters";
        }

        var thread = new ForumThread { BotId = bot.Id, Title = title, Body = body, Topic = topic, CreatedAt = now, LastActivityAt = now };
        db.Threads.Add(thread);
        await db.SaveChangesAsync(ct);
        await MemoryWriter.BumpInterestAsync(db, bot.Id, topic, activity, now, ct);
        details["thread_id"] = thread.Id;
        details["title"] = title;
        details["topic"] = topic;
        details["excerpt"] = Excerpt(body);
        return null;
    }

    private static async Task<string?> ReplyAsync(BotSocietyDb db, Bot bot, BotAction action, ActivityLogEntry activity, JsonObject details, DateTime now, CancellationToken ct)
    {
        var body = action.Body?.Trim() ?? "";
        if (action.ThreadId is not { } threadId)
        {
            return "reply.thread_id is required";
        }

        if (body.Length is < 1 or > MaxBodyLength)
        {
            return $"reply.body must be 1 to {MaxBodyLength} characters (got {body.Length})";
        }

        var thread = await db.Threads.Include(t => t.Bot).FirstOrDefaultAsync(t => t.Id == threadId, ct);
        if (thread is null)
        {
            return $"reply.thread_id {threadId} does not exist";
        }

        Post? parent = null;
        if (action.ParentPostId is { } parentId)
        {
            parent = await db.Posts.Include(p => p.Bot).FirstOrDefaultAsync(p => p.Id == parentId, ct);
            if (parent is null || parent.ThreadId != threadId)
            {
                return $"reply.parent_post_id {parentId} is not a post of thread {threadId}";
            }
        }

        var post = new Post { ThreadId = threadId, BotId = bot.Id, ParentPostId = parent?.Id, Body = body, CreatedAt = now };
        db.Posts.Add(post);
        thread.ReplyCount++;
        thread.LastActivityAt = now;
        await db.SaveChangesAsync(ct);

        var recipient = parent?.Bot ?? thread.Bot!;
        if (recipient.Id != bot.Id)
        {
            recipient.ReputationScore = ReputationRules.Apply(recipient.ReputationScore, ReputationRules.ReplyReceived);
            await MemoryWriter.AdjustRelationshipAsync(db, bot.Id, recipient.Id, recipient.Name, "replied", 0.05,
                $"I replied to {recipient.Name} about \"{thread.Title}\".", activity, now, ct);
            await MemoryWriter.AdjustRelationshipAsync(db, recipient.Id, bot.Id, bot.Name, "was_replied_to", 0.1,
                $"{bot.Name} answered me in \"{thread.Title}\".", activity, now, ct);
        }

        await MemoryWriter.BumpInterestAsync(db, bot.Id, thread.Topic, activity, now, ct);
        details["thread_id"] = threadId;
        details["thread_title"] = thread.Title;
        details["topic"] = thread.Topic;
        details["post_id"] = post.Id;
        details["parent_post_id"] = parent?.Id;
        details["reply_to_bot_id"] = recipient.Id;
        details["reply_to_bot_name"] = recipient.Name;
        details["excerpt"] = Excerpt(body);
        return null;
    }

    private static async Task<string?> VoteAsync(BotSocietyDb db, Bot bot, BotAction action, ActivityLogEntry activity, JsonObject details, DateTime now, CancellationToken ct)
    {
        var value = action.Direction?.Trim().ToLowerInvariant() switch { "up" => 1, "down" => -1, _ => 0 };
        if (value == 0)
        {
            return $"vote.direction must be 'up' or 'down' (got '{action.Direction}')";
        }

        if (action.TargetId is not { } targetId)
        {
            return "vote.target_id is required";
        }

        VoteTarget targetType;
        Bot author;
        string topic, title;
        switch (action.TargetType?.Trim().ToLowerInvariant())
        {
            case "thread":
                var thread = await db.Threads.Include(t => t.Bot).FirstOrDefaultAsync(t => t.Id == targetId, ct);
                if (thread is null)
                {
                    return $"vote.target_id: thread {targetId} does not exist";
                }

                (targetType, author, topic, title) = (VoteTarget.Thread, thread.Bot!, thread.Topic, thread.Title);
                thread.Score += value;
                break;
            case "post":
                var post = await db.Posts.Include(p => p.Bot).Include(p => p.Thread).FirstOrDefaultAsync(p => p.Id == targetId, ct);
                if (post is null)
                {
                    return $"vote.target_id: post {targetId} does not exist";
                }

                (targetType, author, topic, title) = (VoteTarget.Post, post.Bot!, post.Thread!.Topic, post.Thread.Title);
                post.Score += value;
                break;
            default:
                return $"vote.target_type must be 'thread' or 'post' (got '{action.TargetType}')";
        }

        if (author.Id == bot.Id)
        {
            return "vote: a bot may not vote on its own writing";
        }

        if (await db.Votes.AnyAsync(v => v.BotId == bot.Id && v.TargetType == targetType && v.TargetId == targetId, ct))
        {
            return $"vote: already voted on {targetType.ToString().ToLowerInvariant()} {targetId}";
        }

        db.Votes.Add(new Vote { BotId = bot.Id, TargetType = targetType, TargetId = targetId, TargetBotId = author.Id, Value = value, CreatedAt = now });
        author.ReputationScore = ReputationRules.Apply(author.ReputationScore, ReputationRules.ForVote(value));
        var up = value > 0;
        MemoryWriter.AddOpinion(db, bot.Id, topic, $"{(up ? "Liked" : "Disliked")} \"{title}\" by {author.Name}.", up ? 0.6 : -0.6, activity, now);
        await MemoryWriter.AdjustRelationshipAsync(db, bot.Id, author.Id, author.Name, up ? "upvoted" : "downvoted", up ? 0.1 : -0.15,
            $"I {(up ? "upvoted" : "downvoted")} {author.Name} on \"{title}\".", activity, now, ct);

        // Being downvoted stings more than being upvoted pleases: the receiver remembers who did it.
        await MemoryWriter.AdjustRelationshipAsync(db, author.Id, bot.Id, bot.Name, up ? "was_upvoted" : "was_downvoted", up ? 0.15 : -0.25,
            $"{bot.Name} {(up ? "upvoted" : "downvoted")} my writing on \"{title}\".", activity, now, ct);
        details["target_type"] = targetType.ToString().ToLowerInvariant();
        details["target_id"] = targetId;
        details["direction"] = up ? "up" : "down";
        details["target_bot_id"] = author.Id;
        details["target_bot_name"] = author.Name;
        details["title"] = title;
        details["topic"] = topic;
        return null;
    }

    private static async Task<string?> FollowAsync(BotSocietyDb db, Bot bot, BotAction action, ActivityLogEntry activity, JsonObject details, DateTime now, CancellationToken ct)
    {
        if (action.BotId is not { } followeeId)
        {
            return "follow.bot_id is required";
        }

        if (followeeId == bot.Id)
        {
            return "follow: a bot may not follow itself";
        }

        var followee = await db.Bots.FirstOrDefaultAsync(b => b.Id == followeeId, ct);
        if (followee is null)
        {
            return $"follow.bot_id {followeeId} does not exist";
        }

        if (await db.Follows.AnyAsync(f => f.FollowerId == bot.Id && f.FolloweeId == followeeId, ct))
        {
            return $"follow: already following {followee.Name}";
        }

        db.Follows.Add(new Follow { FollowerId = bot.Id, FolloweeId = followeeId, CreatedAt = now });
        followee.ReputationScore = ReputationRules.Apply(followee.ReputationScore, ReputationRules.FollowerGained);
        await MemoryWriter.AdjustRelationshipAsync(db, bot.Id, followee.Id, followee.Name, "followed", 0.2, $"I follow {followee.Name}.", activity, now, ct);
        await MemoryWriter.AdjustRelationshipAsync(db, followee.Id, bot.Id, bot.Name, "was_followed", 0.3, $"{bot.Name} follows me.", activity, now, ct);
        details["followed_bot_id"] = followee.Id;
        details["followed_bot_name"] = followee.Name;
        return null;
    }

    private async Task<string?> SearchAsync(BotSocietyDb db, Bot bot, BotAction action, ActivityLogEntry activity, JsonObject details, DateTime now, CancellationToken ct)
    {
        var query = action.Query?.Trim() ?? "";
        if (query.Length is < 2 or > MaxQueryLength)
        {
            return $"search.query must be 2 to {MaxQueryLength} characters (got {query.Length})";
        }

        var results = await search.SearchAsync(query, 3, ct);
        var list = new JsonArray();
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            list.Add(new JsonObject { ["title"] = result.Title, ["source"] = result.Source, ["topic"] = result.Topic });

            // The two best results are worth remembering; the best one more than the next.
            if (i < 2)
            {
                await MemoryWriter.AddFactAsync(db, bot.Id, result, i == 0 ? 0.5 : 0.4, activity, now, ct);
            }
        }

        if (results.Count > 0)
        {
            await MemoryWriter.BumpInterestAsync(db, bot.Id, results[0].Topic, activity, now, ct);
        }

        details["query"] = query;
        details["search_provider"] = search.Name;
        details["results"] = list;
        return null;
    }

    private static async Task FinishAsync(BotSocietyDb db, Bot bot, HeartbeatPlan plan, ActivityLogEntry activity, JsonObject details, long societySeed, Pace pace, DateTime now, CancellationToken ct)
    {
        var model = bot.PersonalityConfig.Model;
        var cost = ModelCost.EstimateUsd(plan.Context.Bot.PersonalityConfig.Model, plan.InputTokens, plan.OutputTokens);
        activity.CostUsd = cost;
        await UsageLedger.RecordAsync(db, bot.Id, DateOnly.FromDateTime(now), plan.InputTokens, plan.OutputTokens, cost, ct);
        Schedule(bot, societySeed, now, pace);
        AddModelDetails(details, plan, model.Provider);
        details["reputation_score"] = bot.ReputationScore;
        activity.Details = details.ToJsonString(SocietyJson.Options);
        db.ActivityLog.Add(activity);
    }

    /// <summary>
    /// Writes a <c>heartbeat_failed</c> row and nothing of the action. Tokens the model spent are still
    /// added to the day's usage: they were paid for, and the cap must see them.
    /// </summary>
    private async Task<SocietyEvent?> RecordFailureAsync(HeartbeatPlan plan, string stage, string reason, long societySeed, Pace pace, DateTime now, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var bot = await db.Bots.SingleAsync(b => b.Id == plan.Context.Bot.Id, ct);
            if (bot.IsPaused)
            {
                return null;
            }

            var activity = NewActivity(bot, plan, now);
            activity.Action = ActivityActions.HeartbeatFailed;
            var details = new JsonObject
            {
                ["stage"] = stage,
                ["reason"] = reason,
                ["attempted_action"] = plan.Action?.Action,
            };
            await FinishAsync(db, bot, plan, activity, details, societySeed, pace, now, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            LogHeartbeatFailed(bot.Id, stage, reason);
            return ToEvent(activity, bot, details, SocietyEventTypes.HeartbeatFailed);
        }
        catch (Exception ex) when (ex is DbUpdateException or Microsoft.Data.Sqlite.SqliteException)
        {
            // Even the failure row could not be written (disk full, locked file): the bot stays due and tries again next tick.
            LogFailureNotRecorded(ex, plan.Context.Bot.Id, reason);
            return null;
        }
    }

    private static ActivityLogEntry NewActivity(Bot bot, HeartbeatPlan plan, DateTime now) => new()
    {
        EventId = NewEventId(now),
        BotId = bot.Id,
        Action = plan.Action?.Action ?? ActivityActions.HeartbeatFailed,
        Details = "{}",
        InputTokens = plan.InputTokens,
        OutputTokens = plan.OutputTokens,
        Model = plan.ModelId,
        CreatedAt = now,
    };

    private static void AddModelDetails(JsonObject details, HeartbeatPlan plan, string provider)
    {
        details["model"] = plan.ModelId;
        details["model_provider"] = provider;
        details["simulated"] = ModelProviders.IsSimulated(provider);
    }

    /// <summary>Next heartbeat: the pace's interval, stretched by engagement style, with seeded jitter of ±50 %.</summary>
    internal static void Schedule(Bot bot, long societySeed, DateTime now, Pace pace)
    {
        bot.HeartbeatCount++;
        bot.LastHeartbeatAt = now;
        var interval = PaceSchedule.IntervalSeconds(pace == Pace.Paused ? Pace.Normal : pace)
            * PaceSchedule.EngagementFactor(bot.PersonalityConfig.Behavior.EngagementStyle);
        var jitter = 0.5 + SeedMixer.Unit(SeedMixer.For(societySeed, bot.Id, bot.HeartbeatCount));
        bot.NextHeartbeatAt = now.AddSeconds(Math.Round(interval * jitter, 3));
    }

    private static SocietyEvent ToEvent(ActivityLogEntry activity, Bot bot, JsonObject details, string type) =>
        new(activity.EventId, type, bot.Id, bot.Name, activity.Action, (JsonObject)details.DeepClone(), activity.TokensUsed,
            new DateTimeOffset(activity.CreatedAt, TimeSpan.Zero));

    private static string NewEventId(DateTime now) => Guid.CreateVersion7(new DateTimeOffset(now, TimeSpan.Zero)).ToString();

    private static string Excerpt(string text) => text.Length <= ExcerptLength ? text : text[..(ExcerptLength - 1)] + "…";

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot {BotId}'s {Action} could not be saved; it was rolled back")]
    private partial void LogApplyFailed(Exception exception, int botId, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot {BotId}'s heartbeat failed at {Stage}: {Reason}")]
    private partial void LogHeartbeatFailed(int botId, string stage, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot {BotId}'s failed heartbeat could not be recorded either ({Reason}); it will be retried")]
    private partial void LogFailureNotRecorded(Exception exception, int botId, string reason);
}
