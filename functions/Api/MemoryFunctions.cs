using BotSociety.Core.Data;
using BotSociety.Core.Memory;
using BotSociety.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>A bot's warm and cold memory for the memory explorer: thin adapters over the core's memory queries.</summary>
internal sealed class MemoryFunctions(MemoryQueries memory)
{
    [Function("GetBotMemory")]
    [ApiOperation("Memory", "A bot's warm memory (first page of each category) and its latest cold summaries.")]
    [ApiResponse(200, "The bot's memory.", Body = typeof(BotMemoryView))]
    public Task<IResult> GetMemoryAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{bot_id}/memory")] HttpRequest request, string bot_id, CancellationToken cancellationToken) =>
        ApiResults.ForBotAsync(bot_id, id => memory.AllAsync(id, cancellationToken));

    [Function("GetWarmMemory")]
    [ApiOperation("Memory", "A bot's warm memory: facts, relationships, opinions and interests, each paged on its own, each item with the activity that produced it.")]
    [ApiQuery("limit", typeof(int), "Items per category, 1 to 200; 50 by default.")]
    [ApiQuery("facts_offset", typeof(int), "Where the facts page starts.")]
    [ApiQuery("relationships_offset", typeof(int), "Where the relationships page starts.")]
    [ApiQuery("opinions_offset", typeof(int), "Where the opinions page starts.")]
    [ApiQuery("interests_offset", typeof(int), "Where the interests page starts.")]
    [ApiQueryRules(typeof(WarmPaging))]
    [ApiResponse(200, "The bot's warm memory.", Body = typeof(WarmMemoryView))]
    public async Task<IResult> GetWarmMemoryAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{bot_id}/memory/warm")] HttpRequest request, string bot_id, CancellationToken cancellationToken)
    {
        if (!ApiResults.TryParseId(bot_id, "bot_id", out int id, out var problem))
        {
            return problem;
        }

        var q = request.Query;
        var (paging, errors) = WarmPaging.Parse(q["limit"], q["facts_offset"], q["relationships_offset"], q["opinions_offset"], q["interests_offset"]);
        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        return await memory.WarmAsync(id, paging, cancellationToken) is { } warm ? ApiResults.Json(warm) : ApiResults.NotFound($"There is no bot {id}.");
    }

    [Function("GetColdMemory")]
    [ApiOperation("Memory", "A bot's cold memory: summaries of past periods, newest first, each with the activity it summarises.")]
    [ApiPaged(MemoryQueries.DefaultColdLimit)]
    [ApiResponse(200, "A page of summaries.", Body = typeof(Page<ColdMemoryItem>))]
    public Task<IResult> GetColdMemoryAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{bot_id}/memory/cold")] HttpRequest request, string bot_id, CancellationToken cancellationToken) =>
        ApiResults.ForBotPageAsync(bot_id, request, MemoryQueries.DefaultColdLimit, (id, paging) => memory.ColdAsync(id, paging, cancellationToken));
}
