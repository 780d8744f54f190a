using System.Text.Json.Nodes;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Realtime;
using BotSociety.Core.Simulation;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Alerts;

/// <summary>A rule as the API shows it, with the episodes firing now; never its secret, only whether it has one.</summary>
public sealed record AlertRuleView(
    int AlertId, string Kind, int? BotId, string? BotName, int? Count, int? WindowMinutes, double? Percent, double? Points,
    string? WebhookUrl, bool HasSecret, DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<AlertFiring> Firing);

/// <summary>One episode firing now: for which bot (none for a society-wide rule), since when, and what it measured.</summary>
public sealed record AlertFiring(int? BotId, string? BotName, DateTime FiredAt, string? Message, long? ActivityId);

/// <summary>One webhook call of a rule. <c>finished_at</c> is null while it is pending.</summary>
public sealed record AlertDeliveryItem(
    long DeliveryId, long? ActivityId, string Status, int? StatusCode, int Attempts, string? Error, DateTime CreatedAt, DateTime? FinishedAt);

/// <summary>
/// The operator's alert rules: list, read, create, replace, delete, and each rule's webhook deliveries. Every write is
/// recorded in the audit trail (<see cref="ControlEvents"/>) in the transaction that makes it.
/// </summary>
public sealed class AlertRuleService(IDbContextFactory<BotSocietyDb> dbFactory, ControlEvents events, TimeProvider time)
{
    public const int DefaultDeliveryLimit = 50;

    public async Task<IReadOnlyList<AlertRuleView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ViewsAsync(db, db.AlertRules.AsNoTracking().OrderBy(r => r.Id), cancellationToken);
    }

    public async Task<AlertRuleView?> GetAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await ViewsAsync(db, db.AlertRules.AsNoTracking().Where(r => r.Id == id), cancellationToken)).SingleOrDefault();
    }

    /// <summary>Creates a rule from an <see cref="AlertRuleRequest"/> body. An unknown bot_id is not found (naming bot_id); an invalid body writes nothing.</summary>
    public async Task<WriteResult<AlertRuleView>> CreateAsync(Stream body, CancellationToken cancellationToken, string actor = ControlEvents.Operator)
    {
        var (request, errors, _) = await AlertRuleRequestReader.ReadAsync(body, cancellationToken);
        if (request is null)
        {
            return WriteResult.Invalid<AlertRuleView>(errors);
        }

        if (request.WebhookUrl is not null && request.Secret is null)
        {
            return WriteResult.Invalid<AlertRuleView>([SecretRequired]);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (request.BotId is { } botId && !await db.Bots.AnyAsync(b => b.Id == botId, cancellationToken))
        {
            return UnknownBot(botId);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var rule = new AlertRule { Kind = request.Kind, CreatedAt = now };
        Apply(rule, request, request.Secret, now);

        // The audit row names the rule by its id, which the first save gives it; both commit together.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.AlertRules.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        var botName = await BotNameAsync(db, rule.BotId, cancellationToken);
        events.Record(db, SocietyEventTypes.AlertRuleChanged, ActivityActions.AlertRuleCreated, rule.BotId, botName, actor,
            null, Json(rule), Details(rule));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await events.DeliverAsync(cancellationToken);
        return WriteResult.Done(View(rule, botName, []));
    }

    /// <summary>
    /// Replaces a rule with the body (the same shape as a create). A secret left out is kept while the rule keeps a
    /// webhook; a null one removes it. A real change clears the rule's episodes, so it is evaluated afresh and may fire
    /// again at once.
    /// </summary>
    public async Task<WriteResult<AlertRuleView>> ReplaceAsync(int id, Stream body, CancellationToken cancellationToken, string actor = ControlEvents.Operator)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rule = await db.AlertRules.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return WriteResult.Missing<AlertRuleView>();
        }

        var (request, errors, secretLeftOut) = await AlertRuleRequestReader.ReadAsync(body, cancellationToken);
        if (request is null)
        {
            return WriteResult.Invalid<AlertRuleView>(errors);
        }

        // Left out, the secret stays while the rule keeps a webhook (a form cannot show it to send it back); null removes it.
        var secret = request.WebhookUrl is null ? null : request.Secret ?? (secretLeftOut && rule.WebhookUrl is not null ? rule.Secret : null);
        if (request.WebhookUrl is not null && secret is null)
        {
            return WriteResult.Invalid<AlertRuleView>([SecretRequired]);
        }

        if (request.BotId is { } botId && !await db.Bots.AnyAsync(b => b.Id == botId, cancellationToken))
        {
            return UnknownBot(botId);
        }

        var before = Json(rule);
        var changed = Changes(rule, request, secret);
        if (changed.Count > 0)
        {
            var now = time.GetUtcNow().UtcDateTime;
            Apply(rule, request, secret, now);
            db.AlertEpisodes.RemoveRange(await db.AlertEpisodes.Where(e => e.AlertId == id).ToListAsync(cancellationToken));
            var details = Details(rule);
            details["fields"] = new JsonArray([.. changed.Select(f => (JsonNode)f)]);
            events.Record(db, SocietyEventTypes.AlertRuleChanged, ActivityActions.AlertRuleUpdated, rule.BotId,
                await BotNameAsync(db, rule.BotId, cancellationToken), actor, before, Json(rule), details);
            await db.SaveChangesAsync(cancellationToken);
            await events.DeliverAsync(cancellationToken);
        }

        return WriteResult.Done((await ViewsAsync(db, db.AlertRules.AsNoTracking().Where(r => r.Id == id), cancellationToken)).Single());
    }

    /// <summary>Deletes a rule with its episodes and deliveries; false when there is no such rule.</summary>
    public async Task<bool> DeleteAsync(int id, CancellationToken cancellationToken, string actor = ControlEvents.Operator)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rule = await db.AlertRules.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return false;
        }

        events.Record(db, SocietyEventTypes.AlertRuleChanged, ActivityActions.AlertRuleDeleted, rule.BotId,
            await BotNameAsync(db, rule.BotId, cancellationToken), actor, Json(rule), null, Details(rule));
        db.AlertRules.Remove(rule);
        await db.SaveChangesAsync(cancellationToken);
        await events.DeliverAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// A rule's webhook calls, newest first. A rule that does not exist (or was deleted, and its log with it) has none:
    /// the answer is an empty page, the same as for a rule that never fired.
    /// </summary>
    public async Task<Page<AlertDeliveryItem>> DeliveriesAsync(int id, Paging paging, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deliveries = db.AlertDeliveries.AsNoTracking().Where(d => d.AlertId == id);
        var total = await deliveries.CountAsync(cancellationToken);
        var rows = await deliveries
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Skip(paging.Offset).Take(paging.Limit)
            .ToListAsync(cancellationToken);

        // While pending, finished_at holds the sender's claim on the row (AlertWebhookSender), not an end.
        var items = rows.Select(d => new AlertDeliveryItem(
            d.Id, d.ActivityId, d.Status, d.StatusCode, d.Attempts, d.Error, d.CreatedAt,
            d.Status == DeliveryStatuses.Pending ? null : d.FinishedAt)).ToList();
        return new Page<AlertDeliveryItem>(items, total, paging.Limit, paging.Offset);
    }

    private static readonly FieldError SecretRequired = new(AlertRuleRequestReader.SecretField, "is required with a webhook_url: the key each delivery is signed with");

    private static WriteResult<AlertRuleView> UnknownBot(int botId) =>
        new(null, [new FieldError(AlertRuleRequestReader.BotIdField, $"names no bot: there is no bot {botId}")], NotFound: true);

    private static void Apply(AlertRule rule, AlertRuleRequest request, string? secret, DateTime now)
    {
        rule.Kind = request.Kind;
        rule.BotId = request.BotId;
        rule.Count = request.Count;
        rule.WindowMinutes = request.WindowMinutes;
        rule.Percent = request.Percent;
        rule.Points = request.Points;
        rule.WebhookUrl = request.WebhookUrl;
        rule.Secret = secret;
        rule.UpdatedAt = now;
    }

    private static List<string> Changes(AlertRule rule, AlertRuleRequest request, string? secret)
    {
        var changed = new List<string>();
        void Check(bool same, string field)
        {
            if (!same)
            {
                changed.Add(field);
            }
        }

        Check(rule.Kind == request.Kind, AlertRuleRequestReader.KindField);
        Check(rule.BotId == request.BotId, AlertRuleRequestReader.BotIdField);
        Check(rule.Count == request.Count, AlertRuleRequestReader.CountField);
        Check(rule.WindowMinutes == request.WindowMinutes, AlertRuleRequestReader.WindowField);
        Check(Nullable.Equals(rule.Percent, request.Percent), AlertRuleRequestReader.PercentField);
        Check(Nullable.Equals(rule.Points, request.Points), AlertRuleRequestReader.PointsField);
        Check(rule.WebhookUrl == request.WebhookUrl, AlertRuleRequestReader.WebhookField);
        Check(rule.Secret == secret, AlertRuleRequestReader.SecretField);
        return changed;
    }

    /// <summary>The rule as the audit trail keeps it: its settings, with whether it has a secret, never the secret.</summary>
    private static JsonObject Json(AlertRule rule) => new()
    {
        ["alert_id"] = rule.Id,
        ["kind"] = rule.Kind,
        ["bot_id"] = rule.BotId,
        ["count"] = rule.Count,
        ["window_minutes"] = rule.WindowMinutes,
        ["percent"] = rule.Percent,
        ["points"] = rule.Points,
        ["webhook_url"] = rule.WebhookUrl,
        ["has_secret"] = rule.Secret is not null,
    };

    private static JsonObject Details(AlertRule rule) => new() { ["alert_id"] = rule.Id, ["kind"] = rule.Kind };

    private static Task<string?> BotNameAsync(BotSocietyDb db, int? botId, CancellationToken ct) =>
        botId is { } id ? db.Bots.Where(b => b.Id == id).Select(b => b.Name).FirstOrDefaultAsync(ct) : Task.FromResult<string?>(null);

    private static AlertRuleView View(AlertRule rule, string? botName, IReadOnlyList<AlertFiring> firing) =>
        new(rule.Id, rule.Kind, rule.BotId, botName, rule.Count, rule.WindowMinutes, rule.Percent, rule.Points,
            rule.WebhookUrl, rule.Secret is not null, rule.CreatedAt, rule.UpdatedAt, firing);

    /// <summary>The views of <paramref name="rules"/>, each with its firing episodes and the names of the bots involved.</summary>
    private static async Task<IReadOnlyList<AlertRuleView>> ViewsAsync(BotSocietyDb db, IQueryable<AlertRule> rules, CancellationToken ct)
    {
        var found = await rules.ToListAsync(ct);
        if (found.Count == 0)
        {
            return [];
        }

        var ids = found.Select(r => r.Id).ToList();
        var firing = await db.AlertEpisodes.AsNoTracking()
            .Where(e => e.Firing && ids.Contains(e.AlertId))
            .OrderBy(e => e.FiredAt).ThenBy(e => e.BotId)
            .ToListAsync(ct);
        var botIds = found.Where(r => r.BotId is not null).Select(r => r.BotId!.Value).Concat(firing.Select(e => e.BotId)).Distinct().ToList();
        var names = await db.Bots.Where(b => botIds.Contains(b.Id)).Select(b => new { b.Id, b.Name }).ToDictionaryAsync(b => b.Id, b => b.Name, ct);
        var byRule = firing.ToLookup(e => e.AlertId);
        return
        [
            .. found.Select(r => View(r, r.BotId is { } botId ? names.GetValueOrDefault(botId) : null,
                [
                    .. byRule[r.Id].Select(e => new AlertFiring(
                        e.BotId == AlertEvaluator.SocietyWide ? null : e.BotId,
                        names.GetValueOrDefault(e.BotId), e.FiredAt ?? default, e.Message, e.ActivityId)),
                ])),
        ];
    }
}
