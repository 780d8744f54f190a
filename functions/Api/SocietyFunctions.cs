using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Simulation;
using BotSociety.Core.Traces;
using BotSociety.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>Health, bots and the activity feed: thin adapters over the core's queries.</summary>
internal sealed class SocietyFunctions(SocietyHealth health, BotQueries bots, ActivityQueries activity, TraceQueries traces)
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
    [ApiOperation("Bots", "Every bot in id order: personality config, reputation, status (active, paused, capped), health (healthy, failing, unreachable, capped, paused) and today's usage against its caps.")]
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
    [ApiOperation("Society", "The activity log, newest first (or oldest first with order=asc): every heartbeat's action with its details, tokens and cost, and the audit trail: every operator "
        + "action (pause, resume, pace_changed, config_updated, config_reset, cost_cap_changed, alert rule changes) with its actor and the values before and after, "
        + "and every alert_fired. A society-wide row (a pace change) has no bot_id.")]
    [ApiPaged(50)]
    [ApiQuery("bot", typeof(int), "Only this bot's activity (its id).")]
    [ApiQuery("action", typeof(string), "Only this action: any action the log stores.")]
    [ApiQuery("since", typeof(DateTime), "Only activity at or after this moment (ISO 8601).")]
    [ApiQuery("audit", typeof(bool), "true: only the operator's actions (the audit trail).")]
    [ApiQuery("until", typeof(DateTime), "Only activity before this moment (ISO 8601); later than since. A replay reads [since, until) with order=asc.")]
    [ApiQuery("order", typeof(string), "desc (newest first, the default) or asc (oldest first); ties in time are ordered by id either way, so offset pages do not overlap.")]
    [ApiQueryRules(typeof(ActivityFilter))]
    [ApiResponse(200, "A page of activity.", Body = typeof(Page<ActivityItem>))]
    public Task<IResult> ListActivityAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "activity")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.PageAsync(request, defaultLimit: 50, ActivityFilter.Parse(
            request.Query["bot"], request.Query["action"], request.Query["since"], request.Query["audit"], request.Query["until"], request.Query["order"]),
            (paging, filter) => activity.ListAsync(paging, filter, cancellationToken));

    [Function("GetActivity")]
    [ApiOperation("Society", "One row of the activity log by its id: where a memory's \"produced by\" link leads.")]
    [ApiResponse(200, "The activity.", Body = typeof(ActivityItem))]
    public Task<IResult> GetActivityAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "activity/{activity_id}")] HttpRequest request, string activity_id, CancellationToken cancellationToken) =>
        ApiResults.ForIdAsync<long, ActivityItem>(activity_id, "activity_id", "activity", id => activity.GetAsync(id, cancellationToken));

    [Function("GetActivityTrace")]
    [ApiOperation("Society", "The model call behind an activity row (a heartbeat, a memory summary): the messages as sent, the completion, tokens, latency, "
        + "cost, model and provider, retries, and the failure kind when it failed. Kept for Traces:RetentionDays (7 by default) within Traces:MaxMegabytes.")]
    [ApiResponse(200, "The trace.", Body = typeof(TraceView))]
    public Task<IResult> GetActivityTraceAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "activity/{activity_id}/trace")] HttpRequest request, string activity_id, CancellationToken cancellationToken) =>
        ApiResults.ForIdAsync<long, TraceView>(activity_id, "activity_id", "trace for activity", id => traces.ForActivityAsync(id, cancellationToken));
}
