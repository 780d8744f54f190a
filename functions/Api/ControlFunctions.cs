using BotSociety.Core.Bots;
using BotSociety.Core.Simulation;
using BotSociety.Core.Usage;
using BotSociety.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>The operator's writes: pause and resume a bot, the society's pace, a bot's daily caps. Thin adapters over core services.</summary>
internal sealed class ControlFunctions(BotControl control, PaceService pace, CostCapService caps)
{
    [Function("PauseBot")]
    [ApiOperation("Bots", "Pauses a bot: it takes no heartbeat until resumed. Publishes bot_paused.")]
    [ApiResponse(200, "The bot, now paused.", Body = typeof(BotSummary))]
    public Task<IResult> PauseBotAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "bots/{bot_id}/pause")] HttpRequest request, string bot_id, CancellationToken cancellationToken) =>
        ApiResults.ForBotAsync(bot_id, id => control.PauseAsync(id, cancellationToken, OperatorActor.Of(request)));

    [Function("ResumeBot")]
    [ApiOperation("Bots", "Resumes a paused bot. Publishes bot_resumed.")]
    [ApiResponse(200, "The bot, now active (or capped, if it is over a cap).", Body = typeof(BotSummary))]
    public Task<IResult> ResumeBotAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "bots/{bot_id}/resume")] HttpRequest request, string bot_id, CancellationToken cancellationToken) =>
        ApiResults.ForBotAsync(bot_id, id => control.ResumeAsync(id, cancellationToken, OperatorActor.Of(request)));

    [Function("GetPace")]
    [ApiOperation("Society", "The society's pace and every pace to choose from.")]
    [ApiResponse(200, "The pace.", Body = typeof(PaceView))]
    public async Task<IResult> GetPaceAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "pace")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Json(await pace.GetAsync(cancellationToken));

    [Function("SetPace")]
    [ApiOperation("Society", "Sets the society's pace; bots take it from their next heartbeat. Publishes pace_changed.")]
    [ApiBody(typeof(PaceRequest), "The new pace.")]
    [ApiResponse(200, "The pace, changed.", Body = typeof(PaceView))]
    public async Task<IResult> SetPaceAsync([HttpTrigger(AuthorizationLevel.Function, "put", Route = "pace")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.From(await pace.SetAsync(request.Body, cancellationToken, OperatorActor.Of(request)), "The society has no settings.");

    [Function("SetCostCap")]
    [ApiOperation("Config", "Sets a bot's daily token and cost caps; null resets a cap to the global default. Recorded in the config history (kind cost_cap). Publishes config_updated.")]
    [ApiBody(typeof(CostCapRequest), "Both caps; each a value or null.")]
    [ApiResponse(200, "The effective caps, each custom or default.", Body = typeof(CostCaps))]
    public async Task<IResult> SetCostCapAsync(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "bots/{bot_id}/cost-cap")] HttpRequest request, string bot_id, CancellationToken cancellationToken)
    {
        if (!ApiResults.TryParseId(bot_id, "bot_id", out int id, out var problem))
        {
            return problem;
        }

        return ApiResults.From(await caps.SetAsync(id, request.Body, cancellationToken, OperatorActor.Of(request)), $"There is no bot {id}.");
    }
}
