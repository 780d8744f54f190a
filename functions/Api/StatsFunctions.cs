using BotSociety.Core.Usage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>The dashboard's statistics: thin adapters over the core's stats queries.</summary>
internal sealed class StatsFunctions(StatsQueries stats)
{
    [Function("GetStats")]
    public async Task<IResult> GetStatsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stats")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Json(await stats.GetAsync(cancellationToken));

    [Function("GetUsageStats")]
    public async Task<IResult> GetUsageAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stats/usage")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (range, errors) = UsageRange.Parse(request.Query["from"], request.Query["to"], request.Query["bot_id"], stats.Today);
        return errors.Count > 0 ? ApiResults.Invalid(errors) : ApiResults.Json(await stats.UsageAsync(range, cancellationToken));
    }

    [Function("GetReputationHistory")]
    public async Task<IResult> GetReputationHistoryAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stats/reputation-history")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (query, errors) = ReputationHistoryQuery.Parse(request.Query["bot_id"], request.Query["since"], request.Query["limit"]);
        return errors.Count > 0 ? ApiResults.Invalid(errors) : ApiResults.Json(await stats.ReputationHistoryAsync(query, cancellationToken));
    }
}
