using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotSociety.Core.Data;
using BotSociety.Core.Realtime;
using BotSociety.Core.Simulation;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Alerts;

/// <summary>
/// Evaluates every alert rule after a tick: a rule fires once per episode, when its condition starts to hold for a bot
/// (an <c>alert_fired</c> activity row and event, and a webhook delivery when the rule has a webhook), and re-arms when
/// the condition clears. Episodes live in the database, so instances sharing it fire each one once: a firing claims its
/// episode with a conditional update, and one that finds it claimed leaves it.
/// </summary>
public sealed partial class AlertEvaluator(
    IDbContextFactory<BotSocietyDb> dbFactory,
    ControlEvents events,
    AlertDeliverySignal signal,
    TimeProvider time,
    IOptions<UsageOptions> usageOptions,
    ILogger<AlertEvaluator> logger) : IDisposable
{
    /// <summary>The episode's bot id of a rule about the whole society (<c>events_lost</c>).</summary>
    public const int SocietyWide = 0;

    private const int MaxMessageLength = 500;

    // One evaluation at a time in this process: queued batches finishing together would otherwise race for episodes.
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>
    /// Evaluates every rule, in one transaction when anything changes. Runs on the tick's path, so a database fault is
    /// logged and not thrown: the tick is done, and the next one evaluates again.
    /// </summary>
    public async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await RunAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException)
        {
            LogEvaluationFailed(ex);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Whether any alert rule exists, asked on the tick's open <paramref name="connection"/>: most societies have none, and
    /// the evaluator's own context (an open, the pragmas, a query) after every tick cost a small society a tenth of its
    /// tick. Asked every tick, so a rule an operator adds on any instance sharing the database counts from the next tick.
    /// </summary>
    public static async Task<bool> RulesExistAsync(DbConnection connection, CancellationToken ct)
    {
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT EXISTS (SELECT 1 FROM alert_rules)";
            return Convert.ToBoolean(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }
        catch (DbException)
        {
            // The evaluator reads the rules itself and logs a fault; the tick is done either way.
            return true;
        }
    }

    public void Dispose() => gate.Dispose();

    private async Task RunAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        // After every tick of every society: with no rules this one small read is all it costs.
        var rules = await db.AlertRules.AsNoTracking().OrderBy(r => r.Id).ToListAsync(ct);
        if (rules.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var ids = rules.Select(r => r.Id).ToList();
        var episodes = await db.AlertEpisodes.AsNoTracking()
            .Where(e => ids.Contains(e.AlertId) && (e.Firing || e.BotId == SocietyWide))
            .ToDictionaryAsync(e => (e.AlertId, e.BotId), ct);
        var conditions = new AlertConditions(db, usageOptions.Value, now);
        var changes = new Changes();
        long? lost = null;
        foreach (var rule in rules)
        {
            if (rule.Kind == AlertKinds.EventsLost)
            {
                lost ??= await db.SocietySettings.AsNoTracking().Select(s => s.EventsLost).SingleAsync(ct);
                PlanEventsLost(rule, episodes.GetValueOrDefault((rule.Id, SocietyWide)), lost.Value, changes);
                continue;
            }

            var holding = await conditions.HoldingAsync(rule, ct);
            changes.Fire.AddRange(holding.Values.Where(f => episodes.GetValueOrDefault((rule.Id, f.BotId)) is not { Firing: true }).Select(f => (rule, f)));
            var cleared = episodes.Values.Where(e => e.AlertId == rule.Id && e.Firing && !holding.ContainsKey(e.BotId)).Select(e => e.BotId).ToList();
            if (cleared.Count > 0)
            {
                changes.Clear.Add((rule.Id, cleared));
            }
        }

        if (!changes.Any)
        {
            return;
        }

        await ApplyAsync(db, changes, now, ct);
    }

    /// <summary>
    /// events_lost compares the society's count of given-up events with the episode's baseline: the count when the rule
    /// was first evaluated or last fired. New losses fire it (and raise the baseline); none since clears it.
    /// </summary>
    private static void PlanEventsLost(AlertRule rule, AlertEpisode? episode, long lost, Changes changes)
    {
        if (episode is null)
        {
            changes.Baselines.Add((rule.Id, lost, Insert: true));
            return;
        }

        var baseline = (long)(episode.Baseline ?? 0);
        if (lost > baseline && !episode.Firing)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"{lost - baseline} live {(lost - baseline == 1 ? "event was" : "events were")} lost: given up after every retry failed ({lost} since the society began)");
            changes.Fire.Add((rule, new AlertFinding(SocietyWide, null, message, lost)));
        }
        else if (lost > baseline)
        {
            // Still losing while it fires: the same episode, measured from here, so it clears once the losses stop.
            changes.Baselines.Add((rule.Id, lost, Insert: false));
        }
        else if (episode.Firing)
        {
            changes.Clear.Add((rule.Id, [SocietyWide]));
        }
    }

    private async Task ApplyAsync(BotSocietyDb db, Changes changes, DateTime now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var fired = new List<(AlertRule Rule, AlertFinding Finding, ActivityLogEntry Row)>();
        foreach (var (rule, finding) in changes.Fire)
        {
            var message = TextCut.Cut(finding.Message, MaxMessageLength);
            if (!await ClaimAsync(db, rule.Id, finding.BotId, message, finding.Baseline, now, ct))
            {
                continue;
            }

            var details = new JsonObject
            {
                ["alert_id"] = rule.Id,
                ["kind"] = rule.Kind,
                ["message"] = message,
                ["bot_id"] = BotIdOf(finding),
                ["bot_name"] = finding.BotName,
                ["fired_at"] = now,
            };
            var row = events.Record(db, SocietyEventTypes.AlertFired, ActivityActions.AlertFired, BotIdOf(finding), finding.BotName,
                ControlEvents.Society, null, null, details);
            fired.Add((rule, finding with { Message = message }, row));
        }

        foreach (var (ruleId, baseline, insert) in changes.Baselines)
        {
            if (insert)
            {
                db.AlertEpisodes.Add(new AlertEpisode { AlertId = ruleId, BotId = SocietyWide, Baseline = baseline });
            }
            else
            {
                await db.AlertEpisodes.Where(e => e.AlertId == ruleId && e.BotId == SocietyWide)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.Baseline, baseline), ct);
            }
        }

        foreach (var (ruleId, bots) in changes.Clear)
        {
            await db.AlertEpisodes.Where(e => e.AlertId == ruleId && bots.Contains(e.BotId) && e.Firing)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Firing, false).SetProperty(e => e.ClearedAt, now), ct);
        }

        // The activity rows get their ids here; the episodes and the webhook bodies name them.
        await db.SaveChangesAsync(ct);
        var deliveries = 0;
        foreach (var (rule, finding, row) in fired)
        {
            await db.AlertEpisodes.Where(e => e.AlertId == rule.Id && e.BotId == finding.BotId)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ActivityId, row.Id), ct);
            if (rule.WebhookUrl is not null)
            {
                db.AlertDeliveries.Add(new AlertDelivery
                {
                    AlertId = rule.Id,
                    ActivityId = row.Id,
                    Body = JsonSerializer.Serialize(new WebhookBody(rule.Id, rule.Kind, BotIdOf(finding), finding.BotName, finding.Message, now, row.Id), SocietyJson.Options),
                    Status = DeliveryStatuses.Pending,
                    CreatedAt = now,
                });
                deliveries++;
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        foreach (var (rule, finding, row) in fired)
        {
            var botId = BotIdOf(finding);
            LogFired(rule.Id, rule.Kind, botId, row.Id, finding.Message);
        }

        await events.DeliverAsync(ct);
        if (deliveries > 0)
        {
            signal.Poke();
        }
    }

    /// <summary>
    /// Marks the episode firing unless it already is; false when another evaluation (another instance) fired it since
    /// this one read it. A first episode of a rule and bot is inserted.
    /// </summary>
    private static async Task<bool> ClaimAsync(BotSocietyDb db, int ruleId, int botId, string message, double? baseline, DateTime now, CancellationToken ct)
    {
        var claimed = await db.AlertEpisodes.Where(e => e.AlertId == ruleId && e.BotId == botId && !e.Firing)
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Firing, true)
                .SetProperty(e => e.FiredAt, now)
                .SetProperty(e => e.ClearedAt, (DateTime?)null)
                .SetProperty(e => e.Message, message)
                .SetProperty(e => e.Baseline, baseline), ct);
        if (claimed > 0)
        {
            return true;
        }

        if (await db.AlertEpisodes.AnyAsync(e => e.AlertId == ruleId && e.BotId == botId, ct))
        {
            return false;
        }

        db.AlertEpisodes.Add(new AlertEpisode { AlertId = ruleId, BotId = botId, Firing = true, FiredAt = now, Message = message, Baseline = baseline });
        return true;
    }

    private static int? BotIdOf(AlertFinding finding) => finding.BotId == SocietyWide ? null : finding.BotId;

    /// <summary>What one evaluation changes: episodes to fire, episodes to re-arm, events_lost baselines to write.</summary>
    private sealed class Changes
    {
        public List<(AlertRule Rule, AlertFinding Finding)> Fire { get; } = [];

        public List<(int RuleId, List<int> Bots)> Clear { get; } = [];

        public List<(int RuleId, long Baseline, bool Insert)> Baselines { get; } = [];

        public bool Any => Fire.Count + Clear.Count + Baselines.Count > 0;
    }

    /// <summary>The JSON a webhook receives, exactly as stored in its delivery row (the signature covers these bytes).</summary>
    private sealed record WebhookBody(int AlertId, string Kind, int? BotId, string? BotName, string Message, DateTime FiredAt, long ActivityId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {AlertId} ({Kind}) fired for bot {BotId}: activity {ActivityId}, {AlertMessage}")]
    private partial void LogFired(int alertId, string kind, int? botId, long activityId, string alertMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The alert rules could not be evaluated; the next tick tries again")]
    private partial void LogEvaluationFailed(Exception exception);
}
