using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Simulation;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>Health, bots and the activity feed: thin adapters over the core's queries.</summary>
internal sealed class SocietyFunctions(SocietyHealth health, BotQueries bots, ActivityQueries activity)
{
    [Function("Health")]
    public async Task<IResult> HealthAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request, CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken);
        return ApiResults.Json(report, report.Status == "healthy" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    [Function("ListBots")]
    public async Task<IResult> ListBotsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Json(await bots.ListAsync(cancellationToken));

    [Function("GetBot")]
    public Task<IResult> GetBotAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{bot_id}")] HttpRequest request, string bot_id, CancellationToken cancellationToken) =>
        ApiResults.ForBotAsync(bot_id, id => bots.GetAsync(id, cancellationToken));

    [Function("ListActivity")]
    public async Task<IResult> ListActivityAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "activity")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (paging, errors) = Paging.Parse(request.Query["limit"], request.Query["offset"], defaultLimit: 50);
        var (filter, filterErrors) = ActivityFilter.Parse(request.Query["bot"], request.Query["action"], request.Query["since"]);
        return errors.Count + filterErrors.Count > 0
            ? ApiResults.Invalid([.. errors, .. filterErrors])
            : ApiResults.Json(await activity.ListAsync(paging, filter, cancellationToken));
    }
}
