namespace BotSociety.Core.Realtime;

/// <summary>
/// The publisher while no live stream is configured (<c>Realtime:ConnectionString</c> unset): nobody can watch, so
/// <see cref="EventOutbox"/> keeps no events at all (measured with 10,000 bots, keeping and draining them cost a fifth
/// of the heartbeat rate for nothing); the activity log and the API hold everything a later reader needs.
/// </summary>
internal sealed class NoLiveStreamPublisher : IEventPublisher
{
    public Task<int> PublishAsync(IReadOnlyList<SocietyEvent> events, CancellationToken cancellationToken) => Task.FromResult(events.Count);
}
