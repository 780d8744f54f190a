using System.Text.Json.Nodes;
using BotSociety.Core.Data;

namespace BotSociety.Core.Realtime;

/// <summary>
/// The events of operator writes (pause, pace, caps, config): a new v7 id and the society's clock for each. The write
/// stages its event in its own unit of work (<see cref="Stage"/>), so the event is committed with the change, then
/// calls <see cref="DeliverAsync"/> after its commit.
/// </summary>
public sealed class ControlEvents(EventOutbox outbox, TimeProvider time)
{
    public void Stage(BotSocietyDb db, string type, int? botId, string? botName, string? action, JsonObject details)
    {
        var now = time.GetUtcNow();
        outbox.Stage(db, new SocietyEvent(Guid.CreateVersion7(now).ToString(), type, botId, botName, action, details, 0, now));
    }

    /// <summary>Sends what the commit staged; a failure leaves it in the outbox, which sends it later.</summary>
    public Task DeliverAsync(CancellationToken cancellationToken) => outbox.SendAfterCommitAsync(cancellationToken);
}
