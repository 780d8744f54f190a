using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>The config panel's API: read, partly update and reset a bot's config, and its history. Thin adapters over <see cref="BotConfigService"/>.</summary>
internal sealed class ConfigFunctions(BotConfigService configs)
{
    [Function("GetBotConfig")]
    [ApiOperation("Config", "A bot's config: personality, behaviour and model, each effective value with its source, and the version as ETag.")]
    [ApiResponse(200, "The config.", Body = typeof(BotConfigView), ETag = true)]
    public async Task<IResult> GetBotConfigAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{bot_id}/config")] HttpRequest request, string bot_id, CancellationToken cancellationToken)
    {
        if (!ApiResults.TryParseId(bot_id, "bot_id", out int id, out var problem))
        {
            return problem;
        }

        return await configs.GetAsync(id, cancellationToken) is { } config ? ApiResults.Config(request, config) : ApiResults.NotFound($"There is no bot {id}.");
    }

    [Function("UpdateBotConfig")]
    [ApiOperation("Config", "Changes part of a bot's config; the bot uses it from its next heartbeat. Publishes config_updated.")]
    [ApiBody(typeof(PersonalityConfig), "Only the members to change, such as {\"behavior\": {\"skepticism\": 80}}. Besides the bounds stated here, "
        + "model.provider must be usable now: a provider that needs a key and has none is refused (GET /api/models says which are available).", Partial = true)]
    [ApiIfMatch]
    [ApiResponse(200, "The config, changed.", Body = typeof(BotConfigView), ETag = true)]
    [ApiResponse(412, "Someone else changed the config since the version in If-Match; current_version says which is current.")]
    public async Task<IResult> UpdateBotConfigAsync(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "bots/{bot_id}/config")] HttpRequest request, string bot_id, CancellationToken cancellationToken)
    {
        if (!ApiResults.TryParseId(bot_id, "bot_id", out int id, out var problem) || !ApiResults.TryParseIfMatch(request, out var version, out problem))
        {
            return problem;
        }

        return ApiResults.From(request, await configs.UpdateAsync(id, request.Body, version, cancellationToken, OperatorActor.Of(request)));
    }

    [Function("ResetBotConfig")]
    [ApiOperation("Config", "Resets a bot's config to its persona file's defaults. Publishes config_updated.")]
    [ApiIfMatch]
    [ApiResponse(200, "The config, reset.", Body = typeof(BotConfigView), ETag = true)]
    [ApiResponse(409, "The bot's persona file cannot be read, so there is nothing to reset to.")]
    [ApiResponse(412, "Someone else changed the config since the version in If-Match.")]
    public async Task<IResult> ResetBotConfigAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "bots/{bot_id}/config/reset")] HttpRequest request, string bot_id, CancellationToken cancellationToken)
    {
        if (!ApiResults.TryParseId(bot_id, "bot_id", out int id, out var problem) || !ApiResults.TryParseIfMatch(request, out var version, out problem))
        {
            return problem;
        }

        return ApiResults.From(request, await configs.ResetAsync(id, version, cancellationToken, OperatorActor.Of(request)));
    }

    [Function("GetBotConfigHistory")]
    [ApiOperation("Config", "Every change to a bot's config and caps, newest first: when, what kind (update, reset, cost_cap), which fields, before and after.")]
    [ApiPaged(BotConfigService.DefaultHistoryLimit)]
    [ApiResponse(200, "A page of changes.", Body = typeof(Page<ConfigChangeItem>))]
    public Task<IResult> GetBotConfigHistoryAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "bots/{bot_id}/config/history")] HttpRequest request, string bot_id, CancellationToken cancellationToken) =>
        ApiResults.ForBotPageAsync(bot_id, request, BotConfigService.DefaultHistoryLimit, (id, paging) => configs.HistoryAsync(id, paging, cancellationToken));
}
