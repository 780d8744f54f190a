using System.Collections.Concurrent;

namespace BotSociety.DevHost.Worker;

/// <summary>
/// Pairs an incoming EventStream with the worker devhost launched: the worker's StartStream carries the worker id
/// devhost put on its command line, so a stray or stale process cannot pose as the current worker.
/// </summary>
internal sealed class WorkerRendezvous
{
    private readonly ConcurrentDictionary<string, WorkerChannel> expected = new();

    public void Expect(WorkerChannel channel) => expected[channel.WorkerId] = channel;

    public void Forget(WorkerChannel channel) => expected.TryRemove(channel.WorkerId, out _);

    public WorkerChannel? Attach(string workerId) =>
        expected.TryGetValue(workerId, out var channel) && channel.TryAttach() ? channel : null;
}
