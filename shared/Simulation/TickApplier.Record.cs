using System.Text.Json.Nodes;
using BotSociety.Core.Data;
using BotSociety.Core.Llm;
using BotSociety.Core.Realtime;
using BotSociety.Core.Reputation;
using BotSociety.Core.Usage;

namespace BotSociety.Core.Simulation;

/// <summary>The part every heartbeat writes whatever it did: usage, trace, schedule, health and the activity row, and its event.</summary>
public sealed partial class TickApplier
{
    /// <summary>
    /// Usage, schedule, health, model label, reputation snapshot, the activity row and the model call's trace: the part
    /// every heartbeat writes. <paramref name="failureKind"/> is set for a failed heartbeat.
    /// </summary>
    private async Task<ActivityLogEntry> FinishAsync(
        Tick tick, BotState bot, HeartbeatPlan plan, string action, JsonObject details, CancellationToken ct, string? failureKind = null)
    {
        var provider = plan.Provider ?? bot.Config.Model.Provider;
        details["model"] = plan.ModelId;
        details["model_provider"] = provider;
        details["simulated"] = ModelProviders.IsSimulated(provider);

        // The config version the prompt was built from, so an operator can see which edit a heartbeat ran on.
        details["config_version"] = plan.Context.Bot.ConfigVersion;
        if (plan.CostUsd is null)
        {
            // An unpriced model: the cost is unknown, said so, and kept out of the estimate rather than guessed.
            details["cost_unknown"] = true;
        }

        if (plan.CachedInputTokens > 0)
        {
            details["cached_input_tokens"] = plan.CachedInputTokens;
        }

        if (plan.Budget is { } budget)
        {
            details["budget"] = budget.ToJson();
        }

        details["reputation_score"] = bot.ReputationScore;
        details["instance"] = tick.Instance;
        details["due_at"] = bot.DueAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var cost = plan.CostUsd ?? 0;
        var activity = new ActivityLogEntry
        {
            EventId = NewEventId(tick.Now),
            BotId = bot.Id,
            Action = action,
            Details = details.ToJsonString(SocietyJson.Options),
            InputTokens = plan.InputTokens,
            OutputTokens = plan.OutputTokens,
            CostUsd = cost,
            Model = plan.ModelId,
            CreatedAt = tick.Now,
        };
        activity.Id = await tick.Writer.InsertActivityAsync(activity, bot.ReputationScore, ct);
        var usage = new TokenUsage(plan.InputTokens, plan.OutputTokens, plan.CachedInputTokens);
        await tick.Writer.AddUsageAsync(bot.Id, tick.Today, usage, plan.CostUsd, ct);
        if (plan.Call is { } call)
        {
            var model = plan.ModelId ?? bot.Config.Model.Model;
            var trace = traces.Create(Traces.TraceKinds.Heartbeat, bot.Id, provider, model, call, usage, plan.ModelTime, plan.CostUsd,
                plan.FailureKind ?? (plan.Failure is null ? null : plan.FailureStage), plan.Failure, tick.Now);
            trace.ActivityId = activity.Id;
            await tick.Writer.InsertTraceAsync(trace, ct);
            await tick.Writer.AddModelUsageAsync(tick.Today, trace.Provider, trace.Model, Traces.TraceKinds.Heartbeat, plan.Failure is not null, usage, plan.CostUsd, ct);
        }

        // Three failures in a row make the bot failing (BotHealth); any heartbeat that did not fail ends the run.
        if (failureKind is not null)
        {
            bot.FailedHeartbeats++;
            bot.FailingSince ??= tick.Now;
            bot.LastFailureKind = failureKind;
        }
        else
        {
            (bot.FailedHeartbeats, bot.FailingSince, bot.LastFailureKind) = (0, null, null);
        }

        await ScheduleAsync(tick, bot, ct);
        return activity;
    }

    /// <summary>Next heartbeat: the pace's interval, stretched by engagement style, with seeded jitter of ±50 %.</summary>
    private static Task ScheduleAsync(Tick tick, BotState bot, CancellationToken ct, DateTime? notBefore = null)
    {
        bot.HeartbeatCount++;
        bot.LastHeartbeatAt = tick.Now;
        var interval = PaceSchedule.IntervalSeconds(tick.Pace == Pace.Paused ? Pace.Normal : tick.Pace)
            * PaceSchedule.EngagementFactor(bot.Config.Behavior.EngagementStyle);
        var jitter = 0.5 + SeedMixer.Unit(SeedMixer.For(tick.Seed, bot.Id, bot.HeartbeatCount));
        var next = (notBefore is { } start && start > tick.Now ? start : tick.Now).AddSeconds(Math.Round(interval * jitter, 3));
        return tick.Writer.UpdateScheduleAsync(bot, next, ct);
    }

    private static Task ChangeReputationAsync(HeartbeatWriter writer, BotState bot, double delta, CancellationToken ct)
    {
        bot.ReputationScore = ReputationRules.Apply(bot.ReputationScore, delta);
        return writer.UpdateReputationAsync(bot.Id, bot.ReputationScore, ct);
    }

    private static SocietyEvent ToEvent(ActivityLogEntry activity, BotState bot, JsonObject details, string type) =>
        new(activity.EventId, type, bot.Id, bot.Name, activity.Action, (JsonObject)details.DeepClone(), activity.TokensUsed,
            new DateTimeOffset(activity.CreatedAt, TimeSpan.Zero));

    private static string NewEventId(DateTime now) => Guid.CreateVersion7(new DateTimeOffset(now, TimeSpan.Zero)).ToString();
}
