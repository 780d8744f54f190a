using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Realtime;
using BotSociety.Core.Simulation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Usage;

/// <summary>A bot's effective daily caps, each with where it comes from (<c>custom</c> or <c>default</c>).</summary>
public sealed record CostCaps(CapSetting<long> DailyTokenCap, CapSetting<double> DailyCostCapUsd);

/// <summary>One effective cap and its source.</summary>
public sealed record CapSetting<T>(T Value, string Source);

/// <summary>
/// The body of a cap change, as the API documents it: both members are required and either may be null, which
/// means "use the global default". <see cref="CostCapService"/> reads the body strictly by these names.
/// </summary>
public sealed record CostCapRequest([property: JsonRequired] long? DailyTokenCap, [property: JsonRequired] double? DailyCostCapUsd);

/// <summary>Sets or resets a bot's own daily caps; null means "use the global default".</summary>
public sealed class CostCapService(IDbContextFactory<BotSocietyDb> dbFactory, ControlEvents events, TimeProvider time, IOptions<UsageOptions> usageOptions)
{
    private const string TokenCapField = "daily_token_cap";
    private const string CostCapField = "daily_cost_cap_usd";
    private const string CostsSection = "costs";
    private const long MinTokenCap = 1;
    private const double MinCostCapUsd = 0;
    private const double MaxCostCapUsd = 1_000_000;
    private static readonly string[] Fields = [TokenCapField, CostCapField];

    /// <summary>The bounds <see cref="SetAsync"/> checks, by body member (each may also be null); the API document states them (ApiRules).</summary>
    public static IReadOnlyDictionary<string, FieldRule> Rules { get; } = new Dictionary<string, FieldRule>(StringComparer.Ordinal)
    {
        [TokenCapField] = FieldRule.AtLeast(MinTokenCap),
        [CostCapField] = FieldRule.Between(MinCostCapUsd, MaxCostCapUsd),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Applies a body like <c>{"daily_token_cap": 50000, "daily_cost_cap_usd": null}</c>. Both members are required,
    /// so a client cannot reset one cap by leaving it out; an invalid body changes nothing.
    /// </summary>
    public async Task<WriteResult<CostCaps>> SetAsync(int botId, Stream body, CancellationToken cancellationToken, string actor = ControlEvents.Operator)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var bot = await db.Bots.FirstOrDefaultAsync(b => b.Id == botId, cancellationToken);
        if (bot is null)
        {
            return WriteResult.Missing<CostCaps>();
        }

        var request = await JsonBody.ReadAsync(body, Fields, cancellationToken);
        request.TryRequiredNullableInt64(TokenCapField, MinTokenCap, out var tokenCap);
        request.TryRequiredNullableDouble(CostCapField, MinCostCapUsd, MaxCostCapUsd, out var costCap);
        if (!request.IsValid)
        {
            return WriteResult.Invalid<CostCaps>(request.Errors);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var usage = await db.DailyUsage.AsNoTracking().FirstOrDefaultAsync(u => u.BotId == botId && u.Day == today, cancellationToken);
        var before = UsageCaps.Evaluate(bot, usage, usageOptions.Value);
        var changed = new JsonArray();
        if (bot.DailyTokenCap != tokenCap)
        {
            changed.Add(TokenCapField);
        }

        if (bot.DailyCostCapUsd != costCap)
        {
            changed.Add(CostCapField);
        }

        bot.DailyTokenCap = tokenCap;
        bot.DailyCostCapUsd = costCap;
        var after = UsageCaps.Evaluate(bot, usage, usageOptions.Value);
        var (capsBefore, capsAfter) = (Caps(before), Caps(after));
        if (changed.Count == 0)
        {
            return WriteResult.Done(capsAfter);
        }

        // A capped bot was put to sleep until midnight UTC (TickApplier.RecordCappedAsync); a cap that no longer
        // holds it must wake it now rather than leave it idle for the rest of the day.
        if (bot.CappedOn == today && !after.IsCapped && bot.NextHeartbeatAt > now)
        {
            bot.NextHeartbeatAt = now;
        }

        // A cap set below today's spend caps the bot now, as its next heartbeat would: the usage_capped row appears at
        // once and the bot sleeps until midnight UTC, rather than showing "next in 27 seconds" until then.
        ActivityLogEntry? capped = null;
        if (after.IsCapped && (bot.CappedOn != today || !before.IsCapped))
        {
            bot.CappedOn = today;
            bot.NextHeartbeatAt = UsageCaps.ResumesAt(today);
            var cappedDetails = UsageCaps.CappedDetails(after, today);
            cappedDetails["reputation_score"] = bot.ReputationScore;
            cappedDetails["cause"] = Simulation.ActivityActions.CostCapChanged;
            capped = new ActivityLogEntry
            {
                EventId = Guid.CreateVersion7(time.GetUtcNow()).ToString(),
                BotId = bot.Id,
                Action = Simulation.ActivityActions.UsageCapped,
                Details = cappedDetails.ToJsonString(SocietyJson.Options),
                CreatedAt = now,
            };
        }

        // The config history is every change an operator made to the bot, caps included; the same commit writes both.
        db.ConfigChanges.Add(new BotConfigChange
        {
            BotId = bot.Id,
            ChangedAt = now,
            Kind = ConfigChangeKinds.CostCap,
            Fields = JsonSerializer.Serialize(changed.Select(f => $"{CostsSection}.{f!.GetValue<string>()}"), SocietyJson.Options),
            Before = new JsonObject { [CostsSection] = Json(capsBefore) }.ToJsonString(SocietyJson.Options),
            After = new JsonObject { [CostsSection] = Json(capsAfter) }.ToJsonString(SocietyJson.Options),
        });
        // A JSON node has one parent, so the event gets nodes of its own.
        events.Record(db, SocietyEventTypes.ConfigUpdated, Simulation.ActivityActions.CostCapChanged, bot.Id, bot.Name, actor,
            Json(capsBefore), Json(capsAfter), new JsonObject { ["fields"] = changed });
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (capped is not null)
            {
                events.Announce(db, capped, SocietyEventTypes.UsageCapped, bot.Name, JsonNode.Parse(capped.Details)!.AsObject());
            }

            await db.SaveChangesAsync(cancellationToken);
            if (capped is not null)
            {
                // The row is counted and noted in the reputation chart as a heartbeat's would be, in the same commit.
                await using var writer = new Simulation.HeartbeatWriter(db.Database.GetDbConnection(), transaction.GetDbTransaction());
                await writer.RecordActivityAsync(bot.Id, capped.Action, now, bot.ReputationScore, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await events.DeliverAsync(cancellationToken);
        return WriteResult.Done(capsAfter);
    }

    private static CostCaps Caps(CapStatus status) =>
        new(new(status.TokenCap, status.TokenCapSource),
            new(status.CostCapUsd, status.CostCapSource));

    private static JsonNode Json(CostCaps caps) => JsonSerializer.SerializeToNode(caps, SocietyJson.Options)!;
}
