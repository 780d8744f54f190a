using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace BotSociety.Core.Realtime;

/// <summary>Publishes the events of operator writes (pause, pace, caps): a new v7 id and the society's clock for each.</summary>
public sealed partial class ControlEvents(IEventPublisher publisher, TimeProvider time, ILogger<ControlEvents> logger)
{
    public async Task PublishAsync(string type, int? botId, string? botName, string? action, JsonObject details, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var societyEvent = new SocietyEvent(Guid.CreateVersion7(now).ToString(), type, botId, botName, action, details, 0, now);
        try
        {
            await publisher.PublishAsync([societyEvent], cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The change is committed; a watcher that missed the event sees the new state when it next reads.
            LogPublishFailed(ex, type, societyEvent.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {EventType} event {EventId} failed; the change is saved")]
    private partial void LogPublishFailed(Exception exception, string eventType, string eventId);
}
