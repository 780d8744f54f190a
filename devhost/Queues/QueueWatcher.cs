using System.Collections.Concurrent;
using BotSociety.DevHost.Storage;

namespace BotSociety.DevHost.Queues;

/// <summary>
/// Wakes a queue's listener when devhost itself has just written to that queue (an output binding), so the message
/// is picked up at once rather than after the poll's backoff, as the host's SharedQueueWatcher does.
/// </summary>
internal sealed class QueueWatcher
{
    private readonly ConcurrentDictionary<string, Doorbell> doorbells = new(StringComparer.Ordinal);

    public Doorbell Watch(StorageAccount account, string queueName) => doorbells.GetOrAdd(Key(account, queueName), _ => new Doorbell());

    public void Notify(StorageAccount account, string queueName)
    {
        if (doorbells.TryGetValue(Key(account, queueName), out var doorbell))
        {
            doorbell.Ring();
        }
    }

    private static string Key(StorageAccount account, string queueName) => $"{account.QueueEndpoint}/{queueName}";
}

/// <summary>A wait that a ring ends early; a ring while nobody waits ends the next wait at once.</summary>
internal sealed class Doorbell
{
    private TaskCompletionSource rung = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Ring() => Volatile.Read(ref rung).TrySetResult();

    /// <summary>Waits <paramref name="delay"/> or until the next ring, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref rung);
        if (!current.Task.IsCompleted)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sleeping = Task.Delay(delay, timeProvider, timeout.Token);
            await Task.WhenAny(current.Task, sleeping);
            await timeout.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref rung, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }
    }
}
