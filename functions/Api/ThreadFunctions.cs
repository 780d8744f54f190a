using BotSociety.Core.Data;
using BotSociety.Core.Social;
using BotSociety.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>Threads with their reply trees, votes, and who follows whom: thin adapters over the core's social queries.</summary>
internal sealed class ThreadFunctions(ThreadQueries threads, VoteQueries votes, FollowQueries follows)
{
    [Function("ListThreads")]
    [ApiOperation("Society", "Threads with reply and vote counts, newest first unless sort says otherwise; optionally one author's, one topic's, or those matching a full-text search.")]
    [ApiPaged(20)]
    [ApiQuery("bot_id", typeof(int), "Only threads this bot opened.")]
    [ApiQuery("topic", typeof(string), "Only threads on this topic (GET /api/topics lists them).")]
    [ApiQuery("q", typeof(string), "Full-text search: only threads whose title, opening or any reply holds every word (words of two or more letters, stemmed; common words are ignored, and a query of none finds nothing).")]
    [ApiQuery("sort", typeof(string), "newest (the default: latest opened), replies (most replies), votes (highest score), active (latest reply).")]
    [ApiQueryRules(typeof(ThreadFilter))]
    [ApiResponse(200, "A page of threads.", Body = typeof(Page<ThreadListItem>))]
    public Task<IResult> ListThreadsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "threads")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.PageAsync(request, defaultLimit: 20, ThreadFilter.Parse(request.Query["bot_id"], request.Query["topic"], request.Query["q"], request.Query["sort"]),
            (paging, filter) => threads.ListAsync(paging, filter, cancellationToken));

    [Function("ListTopics")]
    [ApiOperation("Society", "Every topic with its number of threads, most threads first: what the threads view's topic filter offers.")]
    [ApiResponse(200, "The topics.", Body = typeof(IReadOnlyList<TopicCount>))]
    public async Task<IResult> ListTopicsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "topics")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Json(await threads.TopicsAsync(cancellationToken));

    [Function("GetThread")]
    [ApiOperation("Society", "A thread with its votes and its replies as a tree.")]
    [ApiResponse(200, "The thread.", Body = typeof(ThreadDetail))]
    public Task<IResult> GetThreadAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "threads/{thread_id}")] HttpRequest request, string thread_id, CancellationToken cancellationToken) =>
        ApiResults.ForIdAsync<int, ThreadDetail>(thread_id, "thread_id", "thread", id => threads.GetAsync(id, cancellationToken));

    [Function("ListVotes")]
    [ApiOperation("Society", "Votes on threads and replies, newest first.")]
    [ApiPaged(50)]
    [ApiQuery("bot_id", typeof(int), "Only votes this bot cast.")]
    [ApiQuery("target_bot_id", typeof(int), "Only votes on this bot's threads and replies.")]
    [ApiQuery("thread_id", typeof(int), "Only votes in this thread: on its opening and on its replies.")]
    [ApiQueryRules(typeof(VoteFilter))]
    [ApiResponse(200, "A page of votes.", Body = typeof(Page<VoteListItem>))]
    public Task<IResult> ListVotesAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "votes")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.PageAsync(request, defaultLimit: 50, VoteFilter.Parse(request.Query["bot_id"], request.Query["target_bot_id"], request.Query["thread_id"]),
            (paging, filter) => votes.ListAsync(paging, filter, cancellationToken));

    [Function("ListFollowers")]
    [ApiOperation("Society", "Who follows the bot, newest first.")]
    [ApiPaged(50)]
    [ApiResponse(200, "A page of followers.", Body = typeof(Page<FollowItem>))]
    public Task<IResult> ListFollowersAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{bot_id}/followers")] HttpRequest request, string bot_id, CancellationToken cancellationToken) =>
        ApiResults.ForBotPageAsync(bot_id, request, defaultLimit: 50, (id, paging) => follows.FollowersAsync(id, paging, cancellationToken));

    [Function("ListFollowing")]
    [ApiOperation("Society", "Whom the bot follows, newest first.")]
    [ApiPaged(50)]
    [ApiResponse(200, "A page of followed bots.", Body = typeof(Page<FollowItem>))]
    public Task<IResult> ListFollowingAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{bot_id}/following")] HttpRequest request, string bot_id, CancellationToken cancellationToken) =>
        ApiResults.ForBotPageAsync(bot_id, request, defaultLimit: 50, (id, paging) => follows.FollowingAsync(id, paging, cancellationToken));
}
