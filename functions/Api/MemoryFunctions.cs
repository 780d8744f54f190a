using BotSociety.Core.Memory;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>A bot's warm and cold memory for the memory explorer: thin adapters over the core's memory queries.</summary>
internal sealed class MemoryFunctions(MemoryQueries memory)
{
    [Function("GetBotMemory")]
    public Task<IResult> GetMemoryAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{bot_id}/memory")] HttpRequest request, string bot_id, CancellationToken cancellationToken) =>
        ApiResults.ForBotAsync(bot_id, id => memory.AllAsync(id, cancellationToken));

    [Function("GetWarmMemory")]
    public async Task<IResult> GetWarmMemoryAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{bot_id}/memory/warm")] HttpRequest request, string bot_id, CancellationToken cancellationToken)
    {
        if (!ApiResults.TryParseId(bot_id, "bot_id", out var id, out var problem))
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
    public Task<IResult> GetColdMemoryAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{bot_id}/memory/cold")] HttpRequest request, string bot_id, CancellationToken cancellationToken) =>
        ApiResults.ForBotPageAsync(bot_id, request, MemoryQueries.DefaultColdLimit, (id, paging) => memory.ColdAsync(id, paging, cancellationToken));
}
