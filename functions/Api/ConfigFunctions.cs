using BotSociety.Core.Bots;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>The config panel's API: read, partly update and reset a bot's config, and its history. Thin adapters over <see cref="BotConfigService"/>.</summary>
internal sealed class ConfigFunctions(BotConfigService configs)
{
    [Function("GetBotConfig")]
    public async Task<IResult> GetBotConfigAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{bot_id}/config")] HttpRequest request, string bot_id, CancellationToken cancellationToken)
    {
        if (!ApiResults.TryParseId(bot_id, "bot_id", out var id, out var problem))
        {
            return problem;
        }

        return await configs.GetAsync(id, cancellationToken) is { } config ? ApiResults.Config(request, config) : ApiResults.NotFound($"There is no bot {id}.");
    }

    [Function("UpdateBotConfig")]
    public async Task<IResult> UpdateBotConfigAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "bots/{bot_id}/config")] HttpRequest request, string bot_id, CancellationToken cancellationToken)
    {
        if (!ApiResults.TryParseId(bot_id, "bot_id", out var id, out var problem) || !ApiResults.TryParseIfMatch(request, out var version, out problem))
        {
            return problem;
        }

        return ApiResults.From(request, await configs.UpdateAsync(id, request.Body, version, cancellationToken));
    }

    [Function("ResetBotConfig")]
    public async Task<IResult> ResetBotConfigAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "bots/{bot_id}/config/reset")] HttpRequest request, string bot_id, CancellationToken cancellationToken)
    {
        if (!ApiResults.TryParseId(bot_id, "bot_id", out var id, out var problem) || !ApiResults.TryParseIfMatch(request, out var version, out problem))
        {
            return problem;
        }

        return ApiResults.From(request, await configs.ResetAsync(id, version, cancellationToken));
    }

    [Function("GetBotConfigHistory")]
    public Task<IResult> GetBotConfigHistoryAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{bot_id}/config/history")] HttpRequest request, string bot_id, CancellationToken cancellationToken) =>
        ApiResults.ForBotPageAsync(bot_id, request, BotConfigService.DefaultHistoryLimit, (id, paging) => configs.HistoryAsync(id, paging, cancellationToken));
}
