using Microsoft.Extensions.Logging;

namespace BotSociety.Core.Realtime;

/// <summary>The publisher until a relay is configured: events go to the log, so nothing is silently dropped.</summary>
internal sealed partial class LoggingEventPublisher(ILogger<LoggingEventPublisher> logger) : IEventPublisher
{
    public Task<int> PublishAsync(IReadOnlyList<SocietyEvent> events, CancellationToken cancellationToken)
    {
        foreach (var societyEvent in events)
        {
            LogEvent(societyEvent.Type, societyEvent.Id, societyEvent.BotName, societyEvent.Action, societyEvent.TokensUsed);
        }

        return Task.FromResult(events.Count);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {EventType} {EventId}: {BotName} {Action}, {TokensUsed} tokens")]
    private partial void LogEvent(string eventType, string eventId, string? botName, string? action, int tokensUsed);
}
