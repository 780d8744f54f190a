using BotSociety.Core.Usage;
using BotSociety.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>The dashboard's statistics: thin adapters over the core's stats queries.</summary>
internal sealed class StatsFunctions(StatsQueries stats)
{
    [Function("GetStats")]
    [ApiOperation("Stats", "Society totals and actions per bot.")]
    [ApiResponse(200, "The totals.", Body = typeof(SocietyStats))]
    public async Task<IResult> GetStatsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stats")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Json(await stats.GetAsync(cancellationToken));

    [Function("GetUsageStats")]
    [ApiOperation("Stats", "Tokens and estimated cost per bot per UTC day over a range (both ends included); the last 7 days by default. Each day also says how many input tokens came from a prompt cache and how many calls went to a model with no price (their cost is not in the estimate). by_model breaks calls, failures, tokens and cost down by provider, model and kind of call per day, and providers gives each provider's calls, failure rate and model latency (p50, p95 over the traces kept); both are the whole society's.")]
    [ApiQuery("from", typeof(DateOnly), "First day, YYYY-MM-DD.")]
    [ApiQuery("to", typeof(DateOnly), "Last day, YYYY-MM-DD; today by default. On or after from, and at most 366 days from it (both included).")]
    [ApiQuery("bot_id", typeof(int), "Only this bot's usage.")]
    [ApiQueryRules(typeof(UsageRange))]
    [ApiResponse(200, "Usage per bot per day.", Body = typeof(UsageReport))]
    public async Task<IResult> GetUsageAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stats/usage")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (range, errors) = UsageRange.Parse(request.Query["from"], request.Query["to"], request.Query["bot_id"], stats.Today);
        return errors.Count > 0 ? ApiResults.Invalid(errors) : ApiResults.Json(await stats.UsageAsync(range, cancellationToken));
    }

    [Function("GetReputationHistory")]
    [ApiOperation("Stats", "Each bot's reputation over time, oldest point first: the score of its latest activity in each ten-minute bucket.")]
    [ApiQuery("bot_id", typeof(int), "Only this bot's series.")]
    [ApiQuery("since", typeof(DateTime), "Only points at or after this moment (ISO 8601).")]
    [ApiQuery("as_of", typeof(DateTime), "The history as it was at this moment (ISO 8601), later than since: only ten-minute buckets that had ended by then, each series ending at the score of its last one (a replay's chart).")]
    [ApiQuery("limit", typeof(int), "The most points per bot, 1 to 1000; 200 by default. An answer holds at most 2,000 points in all, shared equally by its bots (at least 2 each).")]
    [ApiQueryRules(typeof(ReputationHistoryQuery))]
    [ApiResponse(200, "One series per bot.", Body = typeof(IReadOnlyList<ReputationSeries>))]
    public async Task<IResult> GetReputationHistoryAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stats/reputation-history")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (query, errors) = ReputationHistoryQuery.Parse(request.Query["bot_id"], request.Query["since"], request.Query["limit"], request.Query["as_of"]);
        return errors.Count > 0 ? ApiResults.Invalid(errors) : ApiResults.Json(await stats.ReputationHistoryAsync(query, cancellationToken));
    }
}
