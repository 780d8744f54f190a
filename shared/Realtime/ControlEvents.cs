using System.Text.Json.Nodes;
using BotSociety.Core.Data;
using BotSociety.Core.Simulation;

namespace BotSociety.Core.Realtime;

/// <summary>
/// The events of operator writes (pause, pace, caps, config, alert rules) and their rows in the audit trail. The write
/// stages both in its own unit of work (<see cref="Record"/>), so the event and the activity row are committed with the
/// change, then calls <see cref="DeliverAsync"/> after its commit. The row and the event share one id, so the feed
/// shows a live event and the same row after a reload once.
/// </summary>
public sealed class ControlEvents(EventOutbox outbox, TimeProvider time)
{
    /// <summary>The actor of a change made without a function key: the dashboard, or a caller on a trusted network.</summary>
    public const string Operator = "operator";

    /// <summary>The actor of what the society did by itself (an alert firing, a provider's bots paused after a refused key).</summary>
    public const string Society = "society";

    /// <summary>
    /// Stages an audit row (<paramref name="action"/>, one of <see cref="ActivityActions.Society"/>) and its live event.
    /// The details get <c>actor</c>, <c>before</c> and <c>after</c> (each may be null: a created rule has no before).
    /// </summary>
    public ActivityLogEntry Record(
        BotSocietyDb db, string eventType, string action, int? botId, string? botName, string actor,
        JsonNode? before, JsonNode? after, JsonObject? details = null)
    {
        var now = time.GetUtcNow();
        details ??= [];
        details["actor"] = actor;
        details["before"] = before;
        details["after"] = after;
        var row = new ActivityLogEntry
        {
            EventId = Guid.CreateVersion7(now).ToString(),
            BotId = botId,
            Action = action,
            Actor = actor,
            Details = details.ToJsonString(SocietyJson.Options),
            CreatedAt = now.UtcDateTime,
        };
        db.ActivityLog.Add(row);
        outbox.Stage(db, new SocietyEvent(row.EventId, eventType, botId, botName, action, details, 0, now));
        return row;
    }

    /// <summary>Stages a bot's own row written by an operator's change (a cap that caps it at once) and its live event.</summary>
    public void Announce(BotSocietyDb db, ActivityLogEntry row, string eventType, string? botName, JsonObject details)
    {
        db.ActivityLog.Add(row);
        outbox.Stage(db, new SocietyEvent(row.EventId, eventType, row.BotId, botName, row.Action, details, 0, new DateTimeOffset(row.CreatedAt, TimeSpan.Zero)));
    }

    /// <summary>Sends what the commit staged; a failure leaves it in the outbox, which sends it later.</summary>
    public Task DeliverAsync(CancellationToken cancellationToken) => outbox.SendAfterCommitAsync(cancellationToken);
}
