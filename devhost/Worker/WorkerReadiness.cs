namespace BotSociety.DevHost.Worker;

/// <summary>
/// When the worker is expected to serve again, for the <c>Retry-After</c> of the 503 devhost answers while it is
/// down: the backoff still to wait before the next launch, plus how long the last launch took to finish its
/// handshake. A fixed value told a client to come back in 2 s while the next launch was 30 s away.
/// </summary>
internal sealed class WorkerReadiness(TimeProvider time)
{
    // Before any launch has been timed: about what a cold worker takes here to load and finish the handshake.
    private static readonly TimeSpan FirstGuess = TimeSpan.FromSeconds(5);

    private readonly Lock gate = new();
    private TimeSpan lastLaunch = FirstGuess;
    private DateTimeOffset readyAt;

    /// <summary>The worker is down; the next launch starts after <paramref name="backoff"/>.</summary>
    public void Restarting(TimeSpan backoff)
    {
        lock (gate)
        {
            readyAt = time.GetUtcNow() + backoff + lastLaunch;
        }
    }

    /// <summary>A launch starts now.</summary>
    public void Launching()
    {
        lock (gate)
        {
            readyAt = time.GetUtcNow() + lastLaunch;
        }
    }

    /// <summary>A launch finished its handshake after <paramref name="took"/>.</summary>
    public void Launched(TimeSpan took)
    {
        lock (gate)
        {
            lastLaunch = took;
        }
    }

    /// <summary>Whole seconds until the worker should serve, at least 1 (a launch slower than the last one still ends).</summary>
    public int RetryAfterSeconds()
    {
        lock (gate)
        {
            var left = readyAt - time.GetUtcNow();
            return Math.Max(1, (int)Math.Ceiling(left.TotalSeconds));
        }
    }
}
