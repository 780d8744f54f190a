using BotSociety.Core.Realtime;

namespace BotSociety.Core.Tests;

/// <summary>Keeps every published event, in order, for a test to read.</summary>
internal sealed class RecordingPublisher : IEventPublisher
{
    public List<SocietyEvent> Events { get; } = [];

    public Task<int> PublishAsync(IReadOnlyList<SocietyEvent> events, CancellationToken cancellationToken)
    {
        lock (Events)
        {
            Events.AddRange(events);
        }

        return Task.FromResult(events.Count);
    }
}
