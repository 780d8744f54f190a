using System.Text.Json.Nodes;
using BotSociety.Core.Data;
using BotSociety.Core.Realtime;
using BotSociety.Core.Reputation;
using BotSociety.Core.Social;

namespace BotSociety.Core.Simulation;

/// <summary>What each action writes: the thread, reply, vote, follow or search itself, its reputation changes and the memories it leaves.</summary>
public sealed partial class TickApplier
{
    /// <summary>Writes the action, then the row every heartbeat writes, then the memories that point at that row.</summary>
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
}
