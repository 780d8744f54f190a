using System.Diagnostics;
using Azure.Storage.Blobs.Models;
using BotSociety.DevHost.Settings;
using BotSociety.DevHost.Tests.Unit;
using BotSociety.DevHost.Timers;

namespace BotSociety.DevHost.Tests.Storage;

/// <summary>
/// Timers as singletons across devhosts sharing one Azurite and host id: two devhosts' schedules compete for the
/// host's lock blob and only the holder fires; when the holder stops, the other takes over. Each "devhost" here is
/// a timer with its own invoker, so what each one fired is counted separately.
/// </summary>
public sealed class TimerLeaseTests(Azurite azurite) : IClassFixture<Azurite>, IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    private readonly string hostId = $"lease-{Guid.NewGuid():N}"[..20];
    private readonly ListLogger log = new();
    private readonly List<IDisposable> disposables = [];

    [Fact]
    public async Task OfTwoDevHostsOnlyTheLeaseHolderFiresTheTimer()
    {
        var (first, firstInvoker, firstRun) = Start();
        var (second, secondInvoker, secondRun) = Start();

        await Wait.UntilAsync(() => firstInvoker.Requests.Count + secondInvoker.Requests.Count >= 3, TimeSpan.FromSeconds(15), () => "the timer did not fire");
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.True(first.Holder.IsHolder ^ second.Holder.IsHolder, "exactly one devhost holds the lease");
        var (holderInvoker, otherInvoker) = first.Holder.IsHolder ? (firstInvoker, secondInvoker) : (secondInvoker, firstInvoker);
        Assert.True(holderInvoker.Requests.Count >= 3);
        Assert.Empty(otherInvoker.Requests);

        var blob = azurite.Blobs.GetBlobContainerClient("azure-webjobs-hosts").GetBlobClient($"locks/{hostId}/Host.Functions.Heartbeat.Listener");
        Assert.Equal(LeaseState.Leased, (await blob.GetPropertiesAsync()).Value.LeaseState);
        Assert.Contains(log.Lines, l => l.Contains("another devhost holds the lease", StringComparison.Ordinal));

        await first.Stop.CancelAsync();
        await second.Stop.CancelAsync();
        await Task.WhenAll(firstRun, secondRun);
    }

    [Fact]
    public async Task WhenTheHolderStopsRenewingAnotherTakesOverOnceTheLeaseRunsOut()
    {
        // A devhost killed right after it took the lease: the lease is held and nobody renews it.
        var dead = TimerLock.For(TestStorage.Account(azurite), hostId, "Heartbeat", Lease);
        Assert.True(await dead.TryAcquireAsync(CancellationToken.None));
        var sinceDeath = Stopwatch.StartNew();

        var (survivor, invoker, run) = Start();

        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Empty(invoker.Requests);
        Assert.False(survivor.Holder.IsHolder);

        await Wait.UntilAsync(() => !invoker.Requests.IsEmpty, Lease + survivor.Holder.RetryInterval + TimeSpan.FromSeconds(5), () => "the survivor never took over");
        Assert.InRange(sinceDeath.Elapsed, Lease - TimeSpan.FromSeconds(1), Lease + survivor.Holder.RetryInterval + TimeSpan.FromSeconds(5));
        Assert.True(survivor.Holder.IsHolder);
        Assert.Contains(log.Lines, l => l.Contains("this devhost holds the lease", StringComparison.Ordinal));

        await survivor.Stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task HolderThatStopsGivesTheLeaseUpAndTheOtherTakesOverAtOnce()
    {
        var (first, firstInvoker, firstRun) = Start();
        await Wait.UntilAsync(() => first.Holder.IsHolder, TimeSpan.FromSeconds(10), () => "the first devhost did not take the lease");
        var (second, secondInvoker, secondRun) = Start();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(secondInvoker.Requests);

        await first.Stop.CancelAsync();
        await firstRun;
        var sinceStop = Stopwatch.StartNew();

        await Wait.UntilAsync(() => !secondInvoker.Requests.IsEmpty, TimeSpan.FromSeconds(10), () => "the second devhost did not take over");
        Assert.True(sinceStop.Elapsed < Lease, $"took {sinceStop.Elapsed.TotalSeconds:0.0} s: the lease was given up, not left to run out");
        Assert.Contains(log.Lines, l => l.Contains("gave up the lease", StringComparison.Ordinal));

        await second.Stop.CancelAsync();
        await secondRun;
    }

    [Fact]
    public void LockBlobIsNamedAsTheHostNamesItsTimerListenerLock()
    {
        Assert.Equal("locks/myhost/Host.Functions.Heartbeat.Listener", TimerLock.BlobNameFor("myhost", "Heartbeat"));
    }

    public void Dispose()
    {
        foreach (var disposable in disposables)
        {
            disposable.Dispose();
        }
    }

    /// <summary>One devhost's timer: an every-second Heartbeat behind the lock, with its own invoker.</summary>
    private ((TimerSingleton Holder, CancellationTokenSource Stop), ScriptedInvoker Invoker, Task Run) Start()
    {
        var invoker = new ScriptedInvoker();
        var runner = new TimerRunner(TimerDefinition.From(TestFunctions.Timer("Heartbeat", "* * * * * *"), new AppSettings(new Dictionary<string, string>())),
            invoker, TimeProvider.System, log);
        var singleton = new TimerSingleton(runner, TimerLock.For(TestStorage.Account(azurite), hostId, "Heartbeat", Lease), Lease, TimeProvider.System, log);
        var stop = new CancellationTokenSource();
        disposables.Add(stop);
        disposables.Add(runner);
        disposables.Add(invoker);
        return ((singleton, stop), invoker, Run(singleton, stop.Token));
    }

    private static async Task Run(TimerSingleton singleton, CancellationToken stop)
    {
        try
        {
            await singleton.RunAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }
}
