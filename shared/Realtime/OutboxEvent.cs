namespace BotSociety.Core.Realtime;

/// <summary>
/// A live event not yet sent: written in the same transaction as the rows it announces, so a commit never loses its
/// events, and deleted once sent (<see cref="EventOutbox"/>).
/// </summary>
public sealed class OutboxEvent
{
    public long Id { get; set; }

    /// <summary>The event's own id, which it keeps through retries: a dashboard drops a second copy by it.</summary>
    public required string EventId { get; set; }

    /// <summary>The event as it is sent, JSON.</summary>
    public required string Payload { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Sends tried and failed so far.</summary>
    public int Attempts { get; set; }

    /// <summary>Not sent before this: the next try after a failure, or the end of a drain's hold on it.</summary>
    public DateTime NextAttemptAt { get; set; }
}
