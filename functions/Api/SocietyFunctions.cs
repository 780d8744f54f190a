using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Simulation;
using BotSociety.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>Health, bots and the activity feed: thin adapters over the core's queries.</summary>
internal sealed class SocietyFunctions(SocietyHealth health, BotQueries bots, ActivityQueries activity)
{
    [Function("Health")]
    [ApiOperation("Society", "Whether the database answers and is fully migrated.")]
    [ApiResponse(200, "Healthy.", Body = typeof(HealthReport))]
    [ApiResponse(503, "Not healthy: the report says why.", Body = typeof(HealthReport))]
    public async Task<IResult> HealthAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request, CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken);
        return ApiResults.Json(report, report.Status == "healthy" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    [Function("ListBots")]
    [ApiOperation("Bots", "Every bot in id order: personality config, reputation, status (active, paused, capped) and today's usage against its caps.")]
    [ApiPaged(BotQueries.DefaultListLimit)]
    [ApiResponse(200, "A page of bots.", Body = typeof(Page<BotSummary>))]
    public async Task<IResult> ListBotsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (paging, errors) = Paging.Parse(request.Query["limit"], request.Query["offset"], BotQueries.DefaultListLimit);
        return errors.Count > 0 ? ApiResults.Invalid(errors) : ApiResults.Json(await bots.ListAsync(paging, cancellationToken));
    }

    [Function("GetBot")]
    [ApiOperation("Bots", "One bot, as the list shows it.")]
    [ApiResponse(200, "The bot.", Body = typeof(BotSummary))]
    public Task<IResult> GetBotAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{bot_id}")] HttpRequest request, string bot_id, CancellationToken cancellationToken) =>
        ApiResults.ForBotAsync(bot_id, id => bots.GetAsync(id, cancellationToken));

    [Function("ListActivity")]
    [ApiOperation("Society", "The activity log, newest first: every heartbeat's action with its details, tokens and cost.")]
    [ApiPaged(50)]
    [ApiQuery("bot", typeof(int), "Only this bot's activity (its id).")]
    [ApiQuery("action", typeof(string), "Only this action: create_thread, reply, vote, follow, search, rest, or heartbeat_failed and usage_capped.")]
    [ApiQuery("since", typeof(DateTime), "Only activity at or after this moment (ISO 8601).")]
    [ApiQueryRules(typeof(ActivityFilter))]
    [ApiResponse(200, "A page of activity.", Body = typeof(Page<ActivityItem>))]
    public Task<IResult> ListActivityAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "activity")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.PageAsync(request, defaultLimit: 50, ActivityFilter.Parse(request.Query["bot"], request.Query["action"], request.Query["since"]),
            (paging, filter) => activity.ListAsync(paging, filter, cancellationToken));

    [Function("GetActivity")]
    [ApiOperation("Society", "One row of the activity log by its id: where a memory's \"produced by\" link leads.")]
    [ApiResponse(200, "The activity.", Body = typeof(ActivityItem))]
    public Task<IResult> GetActivityAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "activity/{activity_id}")] HttpRequest request, string activity_id, CancellationToken cancellationToken) =>
        ApiResults.ForIdAsync<long, ActivityItem>(activity_id, "activity_id", "activity", id => activity.GetAsync(id, cancellationToken));
}
