namespace BotSociety.Core.Realtime;

/// <summary>
/// What this process's publishing has done since it started, for /api/health: how many events it sent and its last
/// failure. What waits and what was given up are the outbox's, kept in the database (<see cref="EventOutbox"/>).
/// </summary>
public sealed class RealtimeCounters(TimeProvider time)
{
    private readonly Lock gate = new();
    private long published;
    private DateTimeOffset? lastFailureAt;
    private string? lastError;

    public void Published(int count) => Interlocked.Add(ref published, count);

    public void Failed(string error)
    {
        lock (gate)
        {
            lastFailureAt = time.GetUtcNow();
            lastError = error;
        }
    }

    public RealtimeStatus Snapshot(RealtimeOptions options, long pending, long lost)
    {
        lock (gate)
        {
            return new RealtimeStatus(options.IsConfigured, options.Hub, Interlocked.Read(ref published), lost, pending, lastFailureAt, lastError);
        }
    }
}

/// <summary>
/// The live stream's side of health: where events go, how many this process sent, how many were given up after every
/// retry (kept in the database), how many wait in the outbox, and the last failure.
/// </summary>
public sealed record RealtimeStatus(
    bool Configured, string Hub, long EventsPublished, long EventsLost, long EventsPending, DateTimeOffset? LastFailureAt, string? LastError);
