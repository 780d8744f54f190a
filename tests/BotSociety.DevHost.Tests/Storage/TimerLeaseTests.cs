using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
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
    public async Task MissedOccurrenceRunsAtOnceAsPastDueAndTheRunIsRecordedInTheScheduleStatus()
    {
        // An hourly timer whose last run, on some other devhost, was two hours ago: the last hour was missed.
        var now = TimeProvider.System.GetUtcNow();
        var lastHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var container = azurite.Blobs.GetBlobContainerClient("azure-webjobs-hosts");
        await container.CreateIfNotExistsAsync();
        var status = container.GetBlobClient($"timers/{hostId}/Host.Functions.Heartbeat/status");
        await status.UploadAsync(BinaryData.FromString(
            $$"""{"Last":"{{Iso(lastHour.AddHours(-1))}}","Next":"{{Iso(lastHour)}}","LastUpdated":"{{Iso(lastHour.AddHours(-1))}}"}"""), overwrite: true);

        var (holder, invoker, run) = Start("0 0 * * * *", withMonitor: true);

        await Wait.UntilAsync(() => !invoker.Requests.IsEmpty, TimeSpan.FromSeconds(10), () => $"the missed occurrence did not run:\n{string.Join('\n', log.Lines)}");
        using (var timerInfo = JsonDocument.Parse(invoker.Requests.Single().InputData[0].Data.Json))
        {
            Assert.True(timerInfo.RootElement.GetProperty("IsPastDue").GetBoolean());
            Assert.Equal(lastHour.AddHours(-1), timerInfo.RootElement.GetProperty("ScheduleStatus").GetProperty("Last").GetDateTimeOffset());
        }

        await Wait.UntilAsync(async () => Recorded(await status.DownloadContentAsync()) > now.AddSeconds(-1), TimeSpan.FromSeconds(10), () => "the run was not recorded");
        using var recorded = JsonDocument.Parse((await status.DownloadContentAsync()).Value.Content.ToString());
        Assert.Equal(lastHour.AddHours(1), recorded.RootElement.GetProperty("Next").GetDateTimeOffset().ToUniversalTime());

        await holder.Stop.CancelAsync();
        await run;
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

    private static string Iso(DateTimeOffset instant) => instant.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    private static DateTimeOffset Recorded(Azure.Response<BlobDownloadResult> status)
    {
        using var json = JsonDocument.Parse(status.Value.Content.ToString());
        return json.RootElement.GetProperty("Last").GetDateTimeOffset();
    }

    /// <summary>One devhost's timer: an every-second Heartbeat behind the lock, with its own invoker.</summary>
    private ((TimerSingleton Holder, CancellationTokenSource Stop), ScriptedInvoker Invoker, Task Run) Start(string schedule = "* * * * * *", bool withMonitor = false)
    {
        var invoker = new ScriptedInvoker();
        var account = TestStorage.Account(azurite);
        var runner = new TimerRunner(TimerDefinition.From(TestFunctions.Timer("Heartbeat", schedule), new AppSettings(new Dictionary<string, string>())),
            invoker, TimeProvider.System, log);
        var singleton = new TimerSingleton(
            runner, TimerLock.For(account, hostId, "Heartbeat", Lease), withMonitor ? ScheduleMonitor.For(account, hostId) : null, Lease, TimeProvider.System, log);
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
