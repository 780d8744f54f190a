using System.Globalization;
using BotSociety.Core.Alerts;
using BotSociety.Core.Data;
using BotSociety.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>The operator's alert rules and their webhook deliveries. Thin adapters over <see cref="AlertRuleService"/>.</summary>
internal sealed class AlertFunctions(AlertRuleService alerts)
{
    private const string AlertIdField = "alert_id";
    private const string Noun = "alert rule";

    [Function("ListAlerts")]
    [ApiOperation("Alerts", "Every alert rule, oldest first, each with the episodes firing now. Secrets are never shown: has_secret says whether a rule has one.")]
    [ApiResponse(200, "The rules.", Body = typeof(IReadOnlyList<AlertRuleView>))]
    public async Task<IResult> ListAlertsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "alerts")] HttpRequest request, CancellationToken cancellationToken) =>
        ApiResults.Json(await alerts.ListAsync(cancellationToken));

    [Function("CreateAlert")]
    [ApiOperation("Alerts", "Creates an alert rule. It fires once per episode (an alert_fired activity, event and, with a webhook, a signed POST) and re-arms when its condition clears. Recorded as alert_rule_created; publishes alert_rule_changed.")]
    [ApiBody(typeof(AlertRuleRequest), "The rule: its kind and the numbers that kind needs, optionally a bot and a webhook with its secret.")]
    [ApiResponse(201, "The rule, created; Location names it.", Body = typeof(AlertRuleView))]
    [ApiResponse(404, "bot_id names no bot; errors names bot_id.")]
    public async Task<IResult> CreateAlertAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "alerts")] HttpRequest request, CancellationToken cancellationToken)
    {
        var result = await alerts.CreateAsync(request.Body, cancellationToken, OperatorActor.Of(request));
        if (result.Value is not { } rule)
        {
            return Refused(result, null);
        }

        request.HttpContext.Response.Headers.Location = string.Create(CultureInfo.InvariantCulture, $"{request.PathBase}{request.Path}/{rule.AlertId}");
        return ApiResults.Json(rule, StatusCodes.Status201Created);
    }

    [Function("GetAlert")]
    [ApiOperation("Alerts", "One alert rule, with the episodes firing now.")]
    [ApiResponse(200, "The rule.", Body = typeof(AlertRuleView))]
    public Task<IResult> GetAlertAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "alerts/{alert_id}")] HttpRequest request, string alert_id, CancellationToken cancellationToken) =>
        ApiResults.ForIdAsync<int, AlertRuleView>(alert_id, AlertIdField, Noun, id => alerts.GetAsync(id, cancellationToken));

    [Function("UpdateAlert")]
    [ApiOperation("Alerts", "Replaces an alert rule with the body (the create's shape); a secret left out is kept while the rule keeps a webhook. A change clears the rule's episodes, so it is evaluated afresh. Recorded as alert_rule_updated; publishes alert_rule_changed.")]
    [ApiBody(typeof(AlertRuleRequest), "The whole rule, as for a create.")]
    [ApiResponse(200, "The rule, replaced.", Body = typeof(AlertRuleView))]
    public async Task<IResult> UpdateAlertAsync(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "alerts/{alert_id}")] HttpRequest request, string alert_id, CancellationToken cancellationToken)
    {
        if (!ApiResults.TryParseId(alert_id, AlertIdField, out int id, out var problem))
        {
            return problem;
        }

        var result = await alerts.ReplaceAsync(id, request.Body, cancellationToken, OperatorActor.Of(request));
        return result.Value is { } rule ? ApiResults.Json(rule) : Refused(result, id);
    }

    [Function("DeleteAlert")]
    [ApiOperation("Alerts", "Deletes an alert rule with its episodes and its delivery log. Recorded as alert_rule_deleted; publishes alert_rule_changed.")]
    [ApiResponse(204, "The rule is deleted.")]
    [ApiResponse(403, "A browser sent this write for a page of another site (Origin, Sec-Fetch-Site); Api:AllowedOrigins lists the origins allowed.")]
    public async Task<IResult> DeleteAlertAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "alerts/{alert_id}")] HttpRequest request, string alert_id, CancellationToken cancellationToken)
    {
        if (!ApiResults.TryParseId(alert_id, AlertIdField, out int id, out var problem))
        {
            return problem;
        }

        return await alerts.DeleteAsync(id, cancellationToken, OperatorActor.Of(request))
            ? TypedResults.NoContent()
            : ApiResults.NotFound($"There is no {Noun} {id}.");
    }

    [Function("GetAlertDeliveries")]
    [ApiOperation("Alerts", "A rule's webhook deliveries, newest first: pending, delivered or failed, with the last status code, the attempts and the error. A rule that does not exist has none.")]
    [ApiPaged(AlertRuleService.DefaultDeliveryLimit)]
    [ApiResponse(200, "A page of deliveries.", Body = typeof(Page<AlertDeliveryItem>))]
    public async Task<IResult> GetAlertDeliveriesAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "alerts/{alert_id}/deliveries")] HttpRequest request, string alert_id, CancellationToken cancellationToken)
    {
        if (!ApiResults.TryParseId(alert_id, AlertIdField, out int id, out var problem))
        {
            return problem;
        }

        var (paging, errors) = Paging.Parse(request.Query["limit"], request.Query["offset"], AlertRuleService.DefaultDeliveryLimit);
        return errors.Count > 0 ? ApiResults.Invalid(errors) : ApiResults.Json(await alerts.DeliveriesAsync(id, paging, cancellationToken));
    }

    /// <summary>
    /// A write that changed nothing: 400 naming each field, 404 for a missing rule, or 404 naming bot_id when the body
    /// names a bot that does not exist.
    /// </summary>
    private static ProblemHttpResult Refused(WriteResult<AlertRuleView> result, int? id)
    {
        if (!result.NotFound)
        {
            return ApiResults.Invalid(result.Errors);
        }

        if (result.Errors.Count == 0)
        {
            return ApiResults.NotFound($"There is no {Noun} {id}.");
        }

        var notFound = ApiResults.NotFound(string.Join("; ", result.Errors.Select(e => $"{e.Field} {e.Message}")));
        notFound.ProblemDetails.Extensions[ApiResults.ErrorsMember] = result.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        return notFound;
    }
}
