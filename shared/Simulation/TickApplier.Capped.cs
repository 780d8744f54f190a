using System.Globalization;
using BotSociety.Core.Data;
using BotSociety.Core.Realtime;
using BotSociety.Core.Usage;

namespace BotSociety.Core.Simulation;

/// <summary>The capped heartbeat: a bot at its daily cap (or whose next call would pass it) sleeps until midnight UTC.</summary>
public sealed partial class TickApplier
{
    /// <summary>Logs <c>usage_capped</c> once per UTC day per bot, and moves the bot's next heartbeat on either way.</summary>
    private static async Task<AppliedHeartbeat> RecordCappedAsync(Tick tick, int botId, CapStatus status, CancellationToken ct)
    {
        var bot = tick.State.Bots[botId];
        if (bot.IsPaused)
        {
            return new AppliedHeartbeat(botId, "skipped", false, null, TimeSpan.Zero);
        }

        var firstToday = bot.CappedOn != tick.Today;
        bot.CappedOn = tick.Today;

        // A capped bot sleeps until the budget renews at midnight UTC rather than being re-checked all day.
        // (Raising its cap must therefore also make it due again.)
        await ScheduleAsync(tick, bot, ct, notBefore: UsageCaps.ResumesAt(tick.Today));
        if (!firstToday)
        {
            return new AppliedHeartbeat(botId, ActivityActions.UsageCapped, false, null, TimeSpan.Zero);
        }

        var details = UsageCaps.CappedDetails(status, tick.Today);
        details["reputation_score"] = bot.ReputationScore;
        details["instance"] = tick.Instance;
        details["due_at"] = bot.DueAt.ToString("O", CultureInfo.InvariantCulture);
        var activity = new ActivityLogEntry
        {
            EventId = NewEventId(tick.Now),
            BotId = bot.Id,
            Action = ActivityActions.UsageCapped,
            Details = details.ToJsonString(SocietyJson.Options),
            CreatedAt = tick.Now,
        };
        activity.Id = await tick.Writer.InsertActivityAsync(activity, bot.ReputationScore, ct);
        return new AppliedHeartbeat(botId, ActivityActions.UsageCapped, false, ToEvent(activity, bot, details, SocietyEventTypes.UsageCapped), TimeSpan.Zero);
    }

}
