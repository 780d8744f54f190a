using BotSociety.Core.Llm;
using BotSociety.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>What the config panel's provider and model dropdowns offer: a thin adapter over <see cref="ModelCatalog"/>.</summary>
internal sealed class ModelsFunctions(ModelCatalog catalog)
{
    [Function("ListModels")]
    [ApiOperation("Config", "The model providers and models a bot can use, with prices per million tokens and whether each provider's key is configured (never the key).")]
    [ApiResponse(200, "The providers, in the order the config panel lists them.", Body = typeof(ModelCatalogView))]
    public IResult ListModels([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "models")] HttpRequest request) =>
        ApiResults.Json(catalog.Describe());
}
