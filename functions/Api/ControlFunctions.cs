using BotSociety.Core.Bots;
using BotSociety.Core.Simulation;
using BotSociety.Core.Usage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>The operator's writes: pause and resume a bot, the society's pace, a bot's daily caps. Thin adapters over core services.</summary>
internal sealed class ControlFunctions(BotControl control, PaceService pace, CostCapService caps)
{
    [Function("PauseBot")]
    public Task<IResult> PauseBotAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "bots/{bot_id}/pause")] HttpRequest request, string bot_id, CancellationToken cancellationToken) =>
        ApiResults.ForBotAsync(bot_id, id => control.PauseAsync(id, cancellationToken));

    [Function("ResumeBot")]
    public Task<IResult> ResumeBotAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "bots/{bot_id}/resume")] HttpRequest request, string bot_id, CancellationToken cancellationToken) =>
        ApiResults.ForBotAsync(bot_id, id => control.ResumeAsync(id, cancellationToken));

    [Function("GetPace")]
    public async Task<IResult> GetPaceAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "pace")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Json(await pace.GetAsync(cancellationToken));

    [Function("SetPace")]
    public async Task<IResult> SetPaceAsync([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "pace")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.From(await pace.SetAsync(request.Body, cancellationToken), "The society has no settings.");

    [Function("SetCostCap")]
    public async Task<IResult> SetCostCapAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "bots/{bot_id}/cost-cap")] HttpRequest request, string bot_id, CancellationToken cancellationToken)
    {
        if (!ApiResults.TryParseId(bot_id, "bot_id", out var id, out var problem))
        {
            return problem;
        }

        return ApiResults.From(await caps.SetAsync(id, request.Body, cancellationToken), $"There is no bot {id}.");
    }
}
