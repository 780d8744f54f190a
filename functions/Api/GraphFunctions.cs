using BotSociety.Core.Graph;
using BotSociety.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>The social graph: a thin adapter over the core's graph query.</summary>
internal sealed class GraphFunctions(GraphQueries graph)
{
    [Function("GetGraph")]
    [ApiOperation("Society", "The society as a graph: every bot as a node (reputation, followers and following) and directed edges from source to target. "
        + "follow: source follows target (weight 1). reply: how many times source replied to target in the window (weight). vote: how many times source "
        + "voted on target's writing in the window (weight), with the votes' tone, (ups - downs) / votes, as sentiment. relationship: source's feeling about "
        + "target as sentiment in [-1, 1] (the clamped sum of every move the relationship memory recorded), and as weight the interactions between the two "
        + "in the window, in either direction, that moved it. follow and reply edges carry the feeling too (null when source has none).")]
    [ApiQuery("since", typeof(DateTime), "Count replies, votes and relationship moves at or after this moment only (ISO 8601); all of them by default.")]
    [ApiQuery("as_of", typeof(DateTime), "The graph as it was at this moment (ISO 8601), later than since: bots that existed, follows made, interactions and "
        + "feelings before it, and reputation at the end of the last ten-minute bucket before it. Now by default.")]
    [ApiResponse(200, "The graph.", Body = typeof(SocietyGraph))]
    public async Task<IResult> GetGraphAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "graph")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (query, errors) = GraphQuery.Parse(request.Query["since"], request.Query["as_of"]);
        return errors.Count > 0 ? ApiResults.Invalid(errors) : ApiResults.Json(await graph.GetAsync(query, cancellationToken));
    }
}
