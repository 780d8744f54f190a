using BotSociety.Core.Data;
using BotSociety.Core.Social;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>Threads with their reply trees, and who follows whom: thin adapters over the core's social queries.</summary>
internal sealed class ThreadFunctions(ThreadQueries threads, FollowQueries follows)
{
    [Function("ListThreads")]
    public async Task<IResult> ListThreadsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "threads")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (paging, errors) = Paging.Parse(request.Query["limit"], request.Query["offset"], defaultLimit: 20);
        var (filter, filterErrors) = ThreadFilter.Parse(request.Query["bot_id"], request.Query["topic"]);
        return errors.Count + filterErrors.Count > 0
            ? ApiResults.Invalid([.. errors, .. filterErrors])
            : ApiResults.Json(await threads.ListAsync(paging, filter, cancellationToken));
    }

    [Function("GetThread")]
    public async Task<IResult> GetThreadAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "threads/{thread_id}")] HttpRequest request, string thread_id, CancellationToken cancellationToken)
    {
        if (!ApiResults.TryParseId(thread_id, "thread_id", out var id, out var problem))
        {
            return problem;
        }

        return await threads.GetAsync(id, cancellationToken) is { } thread ? ApiResults.Json(thread) : ApiResults.NotFound($"There is no thread {id}.");
    }

    [Function("ListFollowers")]
    public Task<IResult> ListFollowersAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{bot_id}/followers")] HttpRequest request, string bot_id, CancellationToken cancellationToken) =>
        ApiResults.ForBotPageAsync(bot_id, request, defaultLimit: 50, (id, paging) => follows.FollowersAsync(id, paging, cancellationToken));

    [Function("ListFollowing")]
    public Task<IResult> ListFollowingAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{bot_id}/following")] HttpRequest request, string bot_id, CancellationToken cancellationToken) =>
        ApiResults.ForBotPageAsync(bot_id, request, defaultLimit: 50, (id, paging) => follows.FollowingAsync(id, paging, cancellationToken));
}
