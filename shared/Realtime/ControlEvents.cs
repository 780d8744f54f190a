using System.Text.Json.Nodes;
using BotSociety.Core.Data;
using Microsoft.Extensions.Logging;

namespace BotSociety.Core.Realtime;

/// <summary>
/// The events of operator writes (pause, pace, caps, config): a new v7 id and the society's clock for each. The write
/// stages its event in its own unit of work (<see cref="Stage"/>), so the event is committed with the change, then
/// calls <see cref="DeliverAsync"/> after its commit.
/// </summary>
public sealed partial class ControlEvents(EventOutbox outbox, TimeProvider time, ILogger<ControlEvents> logger)
{
    public void Stage(BotSocietyDb db, string type, int? botId, string? botName, string? action, JsonObject details)
    {
        var now = time.GetUtcNow();
        outbox.Stage(db, new SocietyEvent(Guid.CreateVersion7(now).ToString(), type, botId, botName, action, details, 0, now));
    }

    /// <summary>Sends what the commit staged; a failure leaves it in the outbox, which sends it later.</summary>
    public async Task DeliverAsync(CancellationToken cancellationToken)
    {
        try
        {
            await outbox.DrainAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The change and its event are committed; the outbox's own drain sends the event.
            LogDeliverFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending the events of an operator's change failed; they wait in the outbox")]
    private partial void LogDeliverFailed(Exception exception);
}
