using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using BotSociety.DevHost.Rpc;
using BotSociety.DevHost.Settings;
using BotSociety.DevHost.Timers;
using BotSociety.DevHost.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BotSociety.DevHost.Tests.Unit;

public sealed class TimerRunnerTests : IDisposable
{
    // Half a second past midnight, so an every-second schedule is next due at 00:00:01.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, 500, TimeSpan.Zero));
    private readonly GatedInvoker invoker = new();
    private readonly CancellationTokenSource stop = new();

    [Fact]
    public async Task SlowTimerInvocationIsNotStartedTwice()
    {
        using var runner = Runner("* * * * * *");
        var schedule = runner.RunAsync(stop.Token);

        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => invoker.Started == 1);

        // Two more ticks while the first run is still going: both are skipped, none starts.
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => runner.Ticks == 2);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => runner.Ticks == 3);
        Assert.Equal(1, invoker.Started);
        Assert.Equal(2, runner.SkippedTicks);

        // Once it finishes, the next tick runs again.
        invoker.Release();
        await Eventually(() => !runner.IsRunning);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => invoker.Started == 2);
        Assert.Equal(2, runner.SkippedTicks);

        await stop.CancelAsync();
        invoker.Release();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => schedule);
    }

    [Fact]
    public async Task AdminRunWaitsForTheRunningInvocationInsteadOfOverlappingIt()
    {
        using var runner = Runner("* * * * * *");
        _ = runner.RunAsync(stop.Token);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => invoker.Started == 1);

        var adminRun = runner.RunNowAsync(CancellationToken.None);
        await Task.Delay(200);
        Assert.Equal(1, invoker.Started);

        invoker.Release();
        await Eventually(() => invoker.Started == 2);
        invoker.Release();
        Assert.True((await adminRun).Succeeded);
    }

    [Fact]
    public async Task RunOnStartupFiresBeforeTheFirstScheduledTime()
    {
        using var runner = Runner("0 0 0 1 1 *", runOnStartup: true);
        _ = runner.RunAsync(stop.Token);

        await Eventually(() => invoker.Started == 1);
        using var timerInfo = JsonDocument.Parse(invoker.Requests.Single().InputData.Single().Data.Json);
        Assert.False(timerInfo.RootElement.GetProperty("IsPastDue").GetBoolean());
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), timerInfo.RootElement.GetProperty("ScheduleStatus").GetProperty("Next").GetDateTimeOffset());
        invoker.Release();
    }

    [Fact]
    public async Task TickLateByMoreThanOneIntervalIsPastDue()
    {
        using var runner = Runner("*/2 * * * * *");
        _ = runner.RunAsync(stop.Token);

        // Due at 00:00:02, noticed at 00:00:10.5: late by more than the two-second interval.
        clock.Advance(TimeSpan.FromSeconds(10));
        await Eventually(() => invoker.Started == 1);

        var request = invoker.Requests.Single();
        var binding = request.InputData.Single();
        Assert.Equal("timer", binding.Name);
        using var timerInfo = JsonDocument.Parse(binding.Data.Json);
        Assert.True(timerInfo.RootElement.GetProperty("IsPastDue").GetBoolean());
        Assert.True(timerInfo.RootElement.GetProperty("Schedule").GetProperty("AdjustForDST").GetBoolean());
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 12, TimeSpan.Zero), timerInfo.RootElement.GetProperty("ScheduleStatus").GetProperty("Next").GetDateTimeOffset());
        Assert.False(string.IsNullOrEmpty(request.TraceContext.TraceParent));
        invoker.Release();
    }

    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
        invoker.Release();
    }

    private TimerRunner Runner(string schedule, bool runOnStartup = false) =>
        new(TimerDefinition.From(TestFunctions.Timer("Heartbeat", schedule, runOnStartup), new AppSettings(new Dictionary<string, string>())),
            invoker, clock, NullLogger.Instance);

    // The schedule runs on the thread pool: what the fake clock triggers happens moments later.
    private static async Task Eventually(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "The condition did not become true within 10 s.");
            await Task.Delay(10);
        }
    }

    /// <summary>An invoker whose invocations run until the test releases them, like a slow heartbeat.</summary>
    private sealed class GatedInvoker : IFunctionInvoker
    {
        private readonly Channel<bool> gate = Channel.CreateUnbounded<bool>();
        private int started;
        private int finished;

        public ConcurrentQueue<InvocationRequest> Requests { get; } = new();

        public int Started => Volatile.Read(ref started);

        public int Finished => Volatile.Read(ref finished);

        public void Release() => gate.Writer.TryWrite(true);

        public async Task<InvocationResult> InvokeAsync(string functionName, InvocationRequest request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request);
            Interlocked.Increment(ref started);
            await gate.Reader.ReadAsync(CancellationToken.None);
            Interlocked.Increment(ref finished);
            return new InvocationResult(request.InvocationId, true, null);
        }
    }
}
