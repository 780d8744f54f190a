using BotSociety.Core.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotSociety.Core.Tests;

/// <summary>The live stream's outbox: events committed with their rows reach the watchers even when the process dies.</summary>
public sealed class OutboxTests
{
    [Fact]
    public async Task EventsOfAProcessKilledWhileSendingThemArriveOnceEachAfterTheRestart()
    {
        var folder = Directory.CreateTempSubdirectory("botsociety-outbox-").FullName;
        using var stuck = new StuckPublisher();
        var first = await TestSociety.StartAsync(services => services.Replace(ServiceDescriptor.Singleton<IEventPublisher>(stuck)), folder: folder);

        // The tick commits, then hangs sending its events: the process is "killed" there, never finishing or disposing.
        _ = first.TickAsync();
        await stuck.Entered.WaitAsync(TimeSpan.FromSeconds(60));
        List<string> committed;
        await using (var db = first.Db())
        {
            committed = await db.ActivityLog.OrderBy(a => a.Id).Select(a => a.EventId).ToListAsync();
        }

        Assert.NotEmpty(committed);
        Assert.Equal(committed, stuck.Received);

        // A new process on the same database: once the dead one's hold on the events ends, it sends them.
        var events = new RecordingPublisher();
        var later = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(first.Clock.GetUtcNow());
        await using (var second = await TestSociety.StartAsync(services => services.Replace(ServiceDescriptor.Singleton<IEventPublisher>(events)), folder: folder, clock: later))
        {
            second.Clock.Advance(TimeSpan.FromMinutes(1));
            var outbox = second.Services.GetRequiredService<EventOutbox>();
            await outbox.DrainAsync(CancellationToken.None);
            await outbox.DrainAsync(CancellationToken.None);

            Assert.Equal(committed, events.Events.Select(e => e.Id));
            await using var db = second.Db();
            Assert.Equal(0, await db.OutboxEvents.CountAsync());
            Assert.Equal(0, await db.SocietySettings.Select(s => s.EventsLost).SingleAsync());
        }

        stuck.Release();
        await first.DisposeAsync();
        Directory.Delete(folder, recursive: true);
        await TestDatabase.DropAsync(folder);
    }

    [Fact]
    public async Task AnOperatorsChangeAndItsEventAreCommittedTogether()
    {
        var events = new RecordingPublisher();
        await using var society = await TestSociety.StartAsync(services => services.Replace(ServiceDescriptor.Singleton<IEventPublisher>(events)));
        var ada = await society.BotIdAsync("Ada");

        await society.Services.GetRequiredService<Bots.BotControl>().PauseAsync(ada, CancellationToken.None);

        var paused = Assert.Single(events.Events);
        Assert.Equal((SocietyEventTypes.BotPaused, ada), (paused.Type, paused.BotId));
        await using var db = society.Db();
        Assert.Equal(0, await db.OutboxEvents.CountAsync());
    }

    /// <summary>Takes the first batch and never answers until released, like a process frozen mid-send.</summary>
    private sealed class StuckPublisher : IEventPublisher, IDisposable
    {
        private readonly CancellationTokenSource released = new();
        private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => entered.Task;

        public List<string> Received { get; } = [];

        public async Task<int> PublishAsync(IReadOnlyList<SocietyEvent> events, CancellationToken cancellationToken)
        {
            Received.AddRange(events.Select(e => e.Id));
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, released.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return 0;
        }

        public void Release() => released.Cancel();

        public void Dispose() => released.Dispose();
    }
}
