using BotSociety.Core.Llm;
using BotSociety.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>What the config panel's provider and model dropdowns offer: a thin adapter over <see cref="ProviderProbe"/>.</summary>
internal sealed class ModelsFunctions(ProviderProbe probe)
{
    [Function("ListModels")]
    [ApiOperation("Config", "The model providers and models a bot can use, with prices per million tokens, whether each provider's key is configured (never the key), "
        + "and whether its endpoint answered a probe (2 s timeout, the answer kept for 60 s).")]
    [ApiResponse(200, "The providers, in the order the config panel lists them.", Body = typeof(ModelCatalogView))]
    public async Task<IResult> ListModelsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "models")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Json(await probe.DescribeAsync(cancellationToken));
}
