using System.Data.Common;
using System.Diagnostics;
using System.Text.Json.Nodes;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Data.Dialects;
using BotSociety.Core.Llm;
using BotSociety.Core.Memory;
using BotSociety.Core.Realtime;
using BotSociety.Core.Reputation;
using BotSociety.Core.Search;
using BotSociety.Core.Social;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Simulation;

/// <summary>One heartbeat as applied: what happened, the event to publish, and the time it took here.</summary>
public sealed record AppliedHeartbeat(int BotId, string Action, bool Succeeded, SocietyEvent? Event, TimeSpan ApplyTime);

/// <summary>
/// Validates the answers of a tick and applies them in due order. Each heartbeat is atomic: its action,
/// usage, reputation, relationships, memory, schedule and activity row are written inside one savepoint
/// and either all stay or all roll back; the tick's transaction commits them together. Events are
/// returned only for what was committed.
/// </summary>
public sealed partial class TickApplier(
    ISearchProvider search, SqlDialect dialect, SocietyInstance instance, EventOutbox outbox, Traces.TraceFactory traces,
    IOptions<MemoryOptions> memoryOptions, ILogger<TickApplier> logger)
{
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 2000;
    public const int MaxQueryLength = 200;

    /// <summary>
    /// Applies the heartbeats of one claim. Only a bot the claim still holds acts: its claim is checked inside the
    /// transaction, after the writers' lock, so a claim that lapsed and passed to another instance meanwhile loses.
    /// Whatever the claim still holds at the end (paused, lost, skipped bots) is released with the commit.
    /// </summary>
    public async Task<IReadOnlyList<AppliedHeartbeat>> ApplyAsync(
        BotSocietyDb db, string claim, IReadOnlyList<Bot> due, IReadOnlyDictionary<int, HeartbeatPlan> plans, IReadOnlyDictionary<int, CapStatus> caps,
        long societySeed, Pace pace, DateTime now, CancellationToken ct)
    {
        var capped = due.Where(b => !plans.ContainsKey(b.Id)).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var connection = db.Database.GetDbConnection();
        await dialect.LockWritersAsync(connection, transaction.GetDbTransaction(), ct);
        var state = await TickState.LoadAsync(db, plans.Values.ToList(), capped, ct);
        var results = new List<AppliedHeartbeat>(due.Count);
        await using (var writer = new HeartbeatWriter(connection, transaction.GetDbTransaction()))
        {
            var tick = new Tick(writer, state, societySeed, pace, now, instance.Id);
            foreach (var bot in due)
            {
                var started = Stopwatch.GetTimestamp();
                AppliedHeartbeat applied;
                if (tick.State.Bots.TryGetValue(bot.Id, out var current) && current.ClaimedBy != claim)
                {
                    // Another claim took this bot since (ours lapsed), or it already acted: it must not act twice.
                    LogClaimLost(bot.Id, claim);
                    applied = new AppliedHeartbeat(bot.Id, "skipped", false, null, TimeSpan.Zero);
                }
                else
                {
                    applied = plans.TryGetValue(bot.Id, out var plan)
                        ? await ApplyOneAsync(db, tick, plan, plans, capped, ct)
                        : await RecordCappedAsync(tick, bot.Id, caps[bot.Id], ct);
                }

                results.Add(applied with { ApplyTime = Stopwatch.GetElapsedTime(started) });
            }

            await writer.ReleaseClaimAsync(claim, ct);

            // The events are committed with the rows they announce; the engine sends them after the commit.
            if (outbox.IsActive)
            {
                await writer.InsertOutboxAsync([.. results.Where(r => r.Event is not null).Select(r => EventOutbox.ToRow(r.Event!, now))], ct);
            }
        }

        await transaction.CommitAsync(ct);
        return results;
    }

    /// <summary>The tick being applied; its state is replaced if a failed heartbeat forces a re-read.</summary>
    private sealed class Tick(HeartbeatWriter writer, TickState state, long seed, Pace pace, DateTime now, string instance)
    {
        public HeartbeatWriter Writer { get; } = writer;
        public TickState State { get; set; } = state;
        public long Seed { get; } = seed;
        public Pace Pace { get; } = pace;
        public DateTime Now { get; } = now;
        public DateOnly Today { get; } = DateOnly.FromDateTime(now);

        /// <summary>The app instance applying the tick, written into each activity's details.</summary>
        public string Instance { get; } = instance;
    }

    private async Task<AppliedHeartbeat> ApplyOneAsync(
        BotSocietyDb db, Tick tick, HeartbeatPlan plan, IReadOnlyDictionary<int, HeartbeatPlan> plans, List<Bot> capped, CancellationToken ct)
    {
        var botId = plan.Context.Bot.Id;
        if (!tick.State.Bots.TryGetValue(botId, out var bot) || bot.IsPaused)
        {
            // Paused (or removed) while its model was thinking: the operator wins and nothing is written.
            return new AppliedHeartbeat(botId, "skipped", false, null, TimeSpan.Zero);
        }

        if (plan.CappedBy is { } cappedBy)
        {
            return await RecordCappedAsync(tick, botId, cappedBy, ct);
        }

        if (plan.Failure is not null)
        {
            return await RecordFailureAsync(tick, bot, plan, plan.FailureStage ?? "model", plan.Failure, ct);
        }

        var error = ActionRules.Check(tick.State, bot, plan.Action!);
        if (error is not null)
        {
            return await RecordFailureAsync(tick, bot, plan, "validate", error, ct);
        }

        await tick.Writer.SavepointAsync(ct);
        try
        {
            var applied = await ExecuteAsync(tick, bot, plan, ct);
            await tick.Writer.ReleaseAsync(ct);
            return applied;
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            // Undo this heartbeat's writes; the in-memory state may hold part of it, so read it again.
            await tick.Writer.RollbackAsync(ct);
            await tick.Writer.ReleaseAsync(ct);
            LogApplyFailed(ex, botId, plan.Action!.Action);
            tick.State = await TickState.LoadAsync(db, plans.Values.ToList(), capped, ct);
            return await RecordFailureAsync(tick, tick.State.Bots[botId], plan, "apply",
                $"the action could not be saved: {ex.GetBaseException().Message}", ct);
        }
    }

    private async Task<AppliedHeartbeat> ExecuteAsync(Tick tick, BotState bot, HeartbeatPlan plan, CancellationToken ct)
    {
        var action = plan.Action!;
        var (w, state, now) = (tick.Writer, tick.State, tick.Now);
        var details = new JsonObject();
        var memory = new List<Func<long, Task>>();
        switch (action.Action)
        {
            case ActivityActions.CreateThread:
            {
                var topic = string.IsNullOrWhiteSpace(action.Topic) ? bot.Config.Personality.Interests[0] : action.Topic.Trim().ToLowerInvariant();
                var title = action.Title!.Trim();
                var body = action.Body!.Trim();
                var id = await w.InsertThreadAsync(bot.Id, title, body, topic, now, ct);
                state.Threads[id] = new ThreadState(id, bot.Id, topic, title);
                memory.Add(activity => BumpInterestAsync(tick, bot.Id, topic, activity, ct));
                details["thread_id"] = id;
                details["title"] = title;
                details["topic"] = topic;
                details["excerpt"] = TextCut.Excerpt(body);
                break;
            }

            case ActivityActions.Reply:
            {
                var thread = state.Threads[action.ThreadId!.Value];
                var parent = action.ParentPostId is { } pid ? state.Posts[pid] : null;
                var body = action.Body!.Trim();
                var id = await w.InsertPostAsync(thread.Id, bot.Id, parent?.Id, body, now, ct);
                state.Posts[id] = new PostState(id, thread.Id, bot.Id);
                thread.ReplyCount++;
                await w.UpdateThreadRepliedAsync(thread.Id, thread.ReplyCount, now, ct);
                var recipient = state.Bots[parent?.AuthorId ?? thread.AuthorId];
                if (recipient.Id != bot.Id)
                {
                    await ChangeReputationAsync(w, recipient, ReputationRules.ReplyReceived, ct);
                    memory.Add(activity => AdjustRelationshipAsync(tick, bot.Id, recipient.Id, recipient.Name, "replied", 0.05,
                        $"I replied to {recipient.Name} about \"{thread.Title}\".", activity, ct));
                    memory.Add(activity => AdjustRelationshipAsync(tick, recipient.Id, bot.Id, bot.Name, "was_replied_to", 0.1,
                        $"{bot.Name} answered me in \"{thread.Title}\".", activity, ct));
                }

                memory.Add(activity => BumpInterestAsync(tick, bot.Id, thread.Topic, activity, ct));
                details["thread_id"] = thread.Id;
                details["thread_title"] = thread.Title;
                details["topic"] = thread.Topic;
                details["post_id"] = id;
                details["parent_post_id"] = parent?.Id;
                details["reply_to_bot_id"] = recipient.Id;
                details["reply_to_bot_name"] = recipient.Name;
                details["excerpt"] = TextCut.Excerpt(body);
                break;
            }

            case ActivityActions.Vote:
            {
                var up = action.Direction!.Trim().Equals("up", StringComparison.OrdinalIgnoreCase);
                var value = up ? 1 : -1;
                var isThread = action.TargetType!.Trim().Equals("thread", StringComparison.OrdinalIgnoreCase);
                var targetId = action.TargetId!.Value;
                ThreadState thread;
                int authorId;
                if (isThread)
                {
                    thread = state.Threads[targetId];
                    thread.Score += value;
                    authorId = thread.AuthorId;
                    await w.UpdateScoreAsync(VoteTarget.Thread, targetId, thread.Score, ct);
                }
                else
                {
                    var post = state.Posts[targetId];
                    thread = state.Threads[post.ThreadId];
                    post.Score += value;
                    authorId = post.AuthorId;
                    await w.UpdateScoreAsync(VoteTarget.Post, targetId, post.Score, ct);
                }

                var target = isThread ? VoteTarget.Thread : VoteTarget.Post;
                var author = state.Bots[authorId];
                await w.InsertVoteAsync(bot.Id, target, targetId, author.Id, value, now, ct);
                state.Votes.Add((bot.Id, target, targetId));
                await ChangeReputationAsync(w, author, ReputationRules.ForVote(value), ct);
                var verb = up ? "upvoted" : "downvoted";
                memory.Add(activity => AddOpinionAsync(tick, bot.Id, thread.Topic,
                    $"{(up ? "Liked" : "Disliked")} \"{thread.Title}\" by {author.Name}.", up ? 0.6 : -0.6, activity, ct));
                memory.Add(activity => AdjustRelationshipAsync(tick, bot.Id, author.Id, author.Name, verb, up ? 0.1 : -0.15,
                    $"I {verb} {author.Name} on \"{thread.Title}\".", activity, ct));

                // Being downvoted stings more than being upvoted pleases: the receiver remembers who did it.
                memory.Add(activity => AdjustRelationshipAsync(tick, author.Id, bot.Id, bot.Name, "was_" + verb, up ? 0.15 : -0.25,
                    $"{bot.Name} {verb} my writing on \"{thread.Title}\".", activity, ct));
                details["target_type"] = isThread ? "thread" : "post";
                details["target_id"] = targetId;
                details["direction"] = up ? "up" : "down";
                details["target_bot_id"] = author.Id;
                details["target_bot_name"] = author.Name;
                details["title"] = thread.Title;
                details["topic"] = thread.Topic;
                break;
            }

            case ActivityActions.Follow:
            {
                var followee = state.Bots[action.BotId!.Value];
                await w.InsertFollowAsync(bot.Id, followee.Id, now, ct);
                state.Follows.Add((bot.Id, followee.Id));
                await ChangeReputationAsync(w, followee, ReputationRules.FollowerGained, ct);
                memory.Add(activity => AdjustRelationshipAsync(tick, bot.Id, followee.Id, followee.Name, "followed", 0.2, $"I follow {followee.Name}.", activity, ct));
                memory.Add(activity => AdjustRelationshipAsync(tick, followee.Id, bot.Id, bot.Name, "was_followed", 0.3, $"{bot.Name} follows me.", activity, ct));
                details["followed_bot_id"] = followee.Id;
                details["followed_bot_name"] = followee.Name;
                break;
            }

            case ActivityActions.Search:
            {
                var query = action.Query!.Trim();
                var answer = plan.Search ?? await search.AnswerAsync(query, HeartbeatPlanner.SearchResults, ct);
                var results = answer.Results;
                var list = new JsonArray();
                for (var i = 0; i < results.Count; i++)
                {
                    var result = results[i];
                    list.Add(new JsonObject { ["title"] = result.Title, ["excerpt"] = result.Snippet, ["source"] = result.Source, ["topic"] = result.Topic });

                    // The two best results are worth remembering; the best one more than the next.
                    if (i < 2)
                    {
                        var importance = i == 0 ? 0.5 : 0.4;
                        memory.Add(activity => AddFactAsync(tick, bot.Id, result, importance, activity, ct));
                    }
                }

                if (results.Count > 0)
                {
                    memory.Add(activity => BumpInterestAsync(tick, bot.Id, results[0].Topic, activity, ct));
                }

                details["query"] = query;
                details["search_provider"] = answer.Provider;
                if (answer.Note is not null)
                {
                    details["search_note"] = answer.Note;
                }

                details["results"] = list;
                break;
            }

            default:
                details["reason"] = action.Reason ?? "";
                break;
        }

        var activityRow = await FinishAsync(tick, bot, plan, action.Action, details, ct);
        foreach (var write in memory)
        {
            await write(activityRow.Id);
        }

        return new AppliedHeartbeat(bot.Id, action.Action, true, ToEvent(activityRow, bot, details, SocietyEventTypes.HeartbeatComplete), TimeSpan.Zero);
    }

    /// <summary>
    /// Usage, schedule, health, model label, reputation snapshot, the activity row and the model call's trace: the part
    /// every heartbeat writes. <paramref name="failureKind"/> is set for a failed heartbeat.
    /// </summary>
    private async Task<ActivityLogEntry> FinishAsync(
        Tick tick, BotState bot, HeartbeatPlan plan, string action, JsonObject details, CancellationToken ct, string? failureKind = null)
    {
        var provider = plan.Provider ?? bot.Config.Model.Provider;
        details["model"] = plan.ModelId;
        details["model_provider"] = provider;
        details["simulated"] = ModelProviders.IsSimulated(provider);

        // The config version the prompt was built from, so an operator can see which edit a heartbeat ran on.
        details["config_version"] = plan.Context.Bot.ConfigVersion;
        if (plan.CostUsd is null)
        {
            // An unpriced model: the cost is unknown, said so, and kept out of the estimate rather than guessed.
            details["cost_unknown"] = true;
        }

        if (plan.CachedInputTokens > 0)
        {
            details["cached_input_tokens"] = plan.CachedInputTokens;
        }

        if (plan.Budget is { } budget)
        {
            details["budget"] = budget.ToJson();
        }

        details["reputation_score"] = bot.ReputationScore;
        details["instance"] = tick.Instance;
        details["due_at"] = bot.DueAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var cost = plan.CostUsd ?? 0;
        var activity = new ActivityLogEntry
        {
            EventId = NewEventId(tick.Now),
            BotId = bot.Id,
            Action = action,
            Details = details.ToJsonString(SocietyJson.Options),
            InputTokens = plan.InputTokens,
            OutputTokens = plan.OutputTokens,
            CostUsd = cost,
            Model = plan.ModelId,
            CreatedAt = tick.Now,
        };
        activity.Id = await tick.Writer.InsertActivityAsync(activity, bot.ReputationScore, ct);
        var usage = new TokenUsage(plan.InputTokens, plan.OutputTokens, plan.CachedInputTokens);
        await tick.Writer.AddUsageAsync(bot.Id, tick.Today, usage, plan.CostUsd, ct);
        if (plan.Call is { } call)
        {
            var model = plan.ModelId ?? bot.Config.Model.Model;
            var trace = traces.Create(Traces.TraceKinds.Heartbeat, bot.Id, provider, model, call, usage, plan.ModelTime, plan.CostUsd,
                plan.FailureKind ?? (plan.Failure is null ? null : plan.FailureStage), plan.Failure, tick.Now);
            trace.ActivityId = activity.Id;
            await tick.Writer.InsertTraceAsync(trace, ct);
            await tick.Writer.AddModelUsageAsync(tick.Today, trace.Provider, trace.Model, Traces.TraceKinds.Heartbeat, plan.Failure is not null, usage, plan.CostUsd, ct);
        }

        // Three failures in a row make the bot failing (BotHealth); any heartbeat that did not fail ends the run.
        if (failureKind is not null)
        {
            bot.FailedHeartbeats++;
            bot.FailingSince ??= tick.Now;
            bot.LastFailureKind = failureKind;
        }
        else
        {
            (bot.FailedHeartbeats, bot.FailingSince, bot.LastFailureKind) = (0, null, null);
        }

        await ScheduleAsync(tick, bot, ct);
        return activity;
    }

    /// <summary>Next heartbeat: the pace's interval, stretched by engagement style, with seeded jitter of ±50 %.</summary>
    private static Task ScheduleAsync(Tick tick, BotState bot, CancellationToken ct, DateTime? notBefore = null)
    {
        bot.HeartbeatCount++;
        bot.LastHeartbeatAt = tick.Now;
        var interval = PaceSchedule.IntervalSeconds(tick.Pace == Pace.Paused ? Pace.Normal : tick.Pace)
            * PaceSchedule.EngagementFactor(bot.Config.Behavior.EngagementStyle);
        var jitter = 0.5 + SeedMixer.Unit(SeedMixer.For(tick.Seed, bot.Id, bot.HeartbeatCount));
        var next = (notBefore is { } start && start > tick.Now ? start : tick.Now).AddSeconds(Math.Round(interval * jitter, 3));
        return tick.Writer.UpdateScheduleAsync(bot, next, ct);
    }

    private static Task ChangeReputationAsync(HeartbeatWriter writer, BotState bot, double delta, CancellationToken ct)
    {
        bot.ReputationScore = ReputationRules.Apply(bot.ReputationScore, delta);
        return writer.UpdateReputationAsync(bot.Id, bot.ReputationScore, ct);
    }

    private static SocietyEvent ToEvent(ActivityLogEntry activity, BotState bot, JsonObject details, string type) =>
        new(activity.EventId, type, bot.Id, bot.Name, activity.Action, (JsonObject)details.DeepClone(), activity.TokensUsed,
            new DateTimeOffset(activity.CreatedAt, TimeSpan.Zero));

    private static string NewEventId(DateTime now) => Guid.CreateVersion7(new DateTimeOffset(now, TimeSpan.Zero)).ToString();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot {BotId} is no longer held by claim {Claim} (it lapsed and another claim took the bot, or the bot already acted); not applied here")]
    private partial void LogClaimLost(int botId, string claim);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot {BotId}'s {Action} could not be saved; it was rolled back")]
    private partial void LogApplyFailed(Exception exception, int botId, string action);
}
