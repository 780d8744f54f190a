using BotSociety.DevHost.Worker;
using Microsoft.Extensions.Time.Testing;

namespace BotSociety.DevHost.Tests.Unit;

/// <summary>The Retry-After of a 503 while the worker is down is the time left, not a fixed guess.</summary>
public sealed class WorkerReadinessTests
{
    [Fact]
    public void RetryAfterIsTheBackoffLeftPlusTheLastLaunchsLength()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        var readiness = new WorkerReadiness(clock);
        readiness.Launching();
        clock.Advance(TimeSpan.FromSeconds(3));
        readiness.Launched(TimeSpan.FromSeconds(3));

        readiness.Restarting(TimeSpan.FromSeconds(30));
        Assert.Equal(33, readiness.RetryAfterSeconds());

        clock.Advance(TimeSpan.FromSeconds(10.5));
        Assert.Equal(23, readiness.RetryAfterSeconds());

        clock.Advance(TimeSpan.FromSeconds(19.5));
        readiness.Launching();
        Assert.Equal(3, readiness.RetryAfterSeconds());

        // A launch slower than the last one: the client is told to come back soon, never "0" or a past time.
        clock.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(1, readiness.RetryAfterSeconds());
    }

    [Fact]
    public void BeforeAnyLaunchIsTimedTheGuessIsAColdStart()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        var readiness = new WorkerReadiness(clock);

        readiness.Launching();

        Assert.Equal(5, readiness.RetryAfterSeconds());
    }
}
