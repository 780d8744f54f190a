using System.Data.Common;
using System.Text.Json.Nodes;
using BotSociety.Core.Realtime;
using Microsoft.Extensions.Logging;

namespace BotSociety.Core.Simulation;

/// <summary>The failed heartbeat: the model or the action failed, and only the failure is recorded.</summary>
public sealed partial class TickApplier
{
    /// <summary>
    /// Writes a <c>heartbeat_failed</c> row and nothing of the action. Tokens the model spent are still
    /// added to the day's usage: they were paid for, and the cap must see them.
    /// </summary>
    private async Task<AppliedHeartbeat> RecordFailureAsync(Tick tick, BotState bot, HeartbeatPlan plan, string stage, string reason, CancellationToken ct)
    {
        await tick.Writer.SavepointAsync(ct);
        try
        {
            var details = new JsonObject { ["stage"] = stage, ["reason"] = reason, ["attempted_action"] = plan.Action?.Action };
            if (plan.FailureKind is not null)
            {
                details["kind"] = plan.FailureKind;
            }

            var activity = await FinishAsync(tick, bot, plan, ActivityActions.HeartbeatFailed, details, ct, plan.FailureKind ?? stage);
            await tick.Writer.ReleaseAsync(ct);
            LogHeartbeatFailed(bot.Id, stage, reason);
            return new AppliedHeartbeat(bot.Id, ActivityActions.HeartbeatFailed, false, ToEvent(activity, bot, details, SocietyEventTypes.HeartbeatFailed), TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            // Even the failure row could not be written (disk full, locked file): the bot stays due and tries again next tick.
            await tick.Writer.RollbackAsync(ct);
            await tick.Writer.ReleaseAsync(ct);
            LogFailureNotRecorded(ex, bot.Id, reason);
            return new AppliedHeartbeat(bot.Id, ActivityActions.HeartbeatFailed, false, null, TimeSpan.Zero);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot {BotId}'s heartbeat failed at {Stage}: {Reason}")]
    private partial void LogHeartbeatFailed(int botId, string stage, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot {BotId}'s failed heartbeat could not be recorded either ({Reason}); it will be retried")]
    private partial void LogFailureNotRecorded(Exception exception, int botId, string reason);
}
