namespace BotSociety.Core.Realtime;

/// <summary>What publishing has done since the app started, for /api/health: a failure is logged and counted, never thrown.</summary>
public sealed class RealtimeCounters(TimeProvider time)
{
    private readonly Lock gate = new();
    private long published;
    private long lost;
    private DateTimeOffset? lastFailureAt;
    private string? lastError;

    public void Published(int count) => Interlocked.Add(ref published, count);

    public void Lost(int count, string error)
    {
        lock (gate)
        {
            lost += count;
            lastFailureAt = time.GetUtcNow();
            lastError = error;
        }
    }

    public RealtimeStatus Snapshot(RealtimeOptions options)
    {
        lock (gate)
        {
            return new RealtimeStatus(options.IsConfigured, options.Hub, Interlocked.Read(ref published), lost, lastFailureAt, lastError);
        }
    }
}

/// <summary>The live stream's side of health: where events go, how many went, how many were lost and why.</summary>
public sealed record RealtimeStatus(bool Configured, string Hub, long EventsPublished, long EventsLost, DateTimeOffset? LastFailureAt, string? LastError);
