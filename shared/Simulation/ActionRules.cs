using BotSociety.Core.Social;

namespace BotSociety.Core.Simulation;

/// <summary>
/// Every rule a model's action must meet (targets exist, no self-vote, no double vote, lengths), checked
/// against the tick's state before anything is written. Returns what is wrong, or null.
/// </summary>
internal static class ActionRules
{
    /// <summary>Every rule an action must meet, checked before anything is written.</summary>
    public static string? Check(TickState state, BotState bot, BotAction action)
    {
        switch (action.Action)
        {
            case ActivityActions.CreateThread:
                var title = action.Title?.Trim() ?? "";
                var body = action.Body?.Trim() ?? "";
                if (title.Length is < 3 or > TickApplier.MaxTitleLength)
                {
                    return $"create_thread.title must be 3 to {TickApplier.MaxTitleLength} characters (got {title.Length})";
                }

                if (body.Length is < 1 or > TickApplier.MaxBodyLength)
                {
                    return $"create_thread.body must be 1 to {TickApplier.MaxBodyLength} characters (got {body.Length})";
                }

                return action.Topic is { Length: > 64 } ? "create_thread.topic must be at most 64 characters" : null;
            case ActivityActions.Reply:
                var replyBody = action.Body?.Trim() ?? "";
                if (action.ThreadId is not { } threadId)
                {
                    return "reply.thread_id is required";
                }

                if (replyBody.Length is < 1 or > TickApplier.MaxBodyLength)
                {
                    return $"reply.body must be 1 to {TickApplier.MaxBodyLength} characters (got {replyBody.Length})";
                }

                if (!state.Threads.ContainsKey(threadId))
                {
                    return $"reply.thread_id {threadId} does not exist";
                }

                return action.ParentPostId is { } parentId && (!state.Posts.TryGetValue(parentId, out var parent) || parent.ThreadId != threadId)
                    ? $"reply.parent_post_id {parentId} is not a post of thread {threadId}"
                    : null;
            case ActivityActions.Vote:
                if (action.Direction?.Trim().ToLowerInvariant() is not ("up" or "down"))
                {
                    return $"vote.direction must be 'up' or 'down' (got '{action.Direction}')";
                }

                if (action.TargetId is not { } targetId)
                {
                    return "vote.target_id is required";
                }

                var target = action.TargetType?.Trim().ToLowerInvariant();
                int author;
                if (target == "thread")
                {
                    if (!state.Threads.TryGetValue(targetId, out var t))
                    {
                        return $"vote.target_id: thread {targetId} does not exist";
                    }

                    author = t.AuthorId;
                }
                else if (target == "post")
                {
                    if (!state.Posts.TryGetValue(targetId, out var p))
                    {
                        return $"vote.target_id: post {targetId} does not exist";
                    }

                    author = p.AuthorId;
                }
                else
                {
                    return $"vote.target_type must be 'thread' or 'post' (got '{action.TargetType}')";
                }

                if (author == bot.Id)
                {
                    return "vote: a bot may not vote on its own writing";
                }

                return state.Votes.Contains((bot.Id, target == "thread" ? VoteTarget.Thread : VoteTarget.Post, targetId))
                    ? $"vote: already voted on {target} {targetId}"
                    : null;
            case ActivityActions.Follow:
                if (action.BotId is not { } followee)
                {
                    return "follow.bot_id is required";
                }

                if (followee == bot.Id)
                {
                    return "follow: a bot may not follow itself";
                }

                if (!state.Bots.TryGetValue(followee, out var other))
                {
                    return $"follow.bot_id {followee} does not exist";
                }

                return state.Follows.Contains((bot.Id, followee)) ? $"follow: already following {other.Name}" : null;
            case ActivityActions.Search:
                var query = action.Query?.Trim() ?? "";
                return query.Length is < 2 or > TickApplier.MaxQueryLength ? $"search.query must be 2 to {TickApplier.MaxQueryLength} characters (got {query.Length})" : null;
            case ActivityActions.Rest:
                return action.Reason is { Length: > 500 } ? "rest.reason is longer than 500 characters" : null;
            default:
                return $"unknown action '{action.Action}'";
        }
    }
}
