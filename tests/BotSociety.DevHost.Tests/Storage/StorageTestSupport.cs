using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Azure.Storage.Queues;
using BotSociety.DevHost.Rpc;
using BotSociety.DevHost.Settings;
using BotSociety.DevHost.Storage;
using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Tests.Storage;

/// <summary>Waits for what happens on other threads and in Azurite.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < timeout, $"{failure()} (waited {timeout.TotalSeconds} s)");
            await Task.Delay(50);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> failure) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, failure);
}

/// <summary>Reads and writes queue messages as a user's tool would, with the host's default base64 encoding.</summary>
internal static class Messages
{
    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static string FromBase64(string stored) => Encoding.UTF8.GetString(Convert.FromBase64String(stored));

    /// <summary>Every message in the queue, visible or not, without taking any.</summary>
    public static async Task<int> CountAsync(QueueClient queue) =>
        await queue.ExistsAsync() ? (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;

    /// <summary>The stored text of the visible messages, left in the queue.</summary>
    public static async Task<IReadOnlyList<string>> PeekAsync(QueueClient queue) =>
        await queue.ExistsAsync() ? [.. (await queue.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString())] : [];
}

/// <summary>An invoker whose every invocation is decided by the test: succeed, fail, or wait for a release.</summary>
internal sealed class ScriptedInvoker(Func<InvocationRequest, string?>? failure = null) : IFunctionInvoker, IDisposable
{
    private readonly SemaphoreSlim gate = new(0);
    private volatile bool held;
    private int running;
    private int mostRunning;

    public ConcurrentQueue<InvocationRequest> Requests { get; } = new();

    /// <summary>Invocations started and not yet finished.</summary>
    public int Running => Volatile.Read(ref running);

    /// <summary>The most invocations that were running at once.</summary>
    public int MostRunning => Volatile.Read(ref mostRunning);

    /// <summary>From now on every invocation waits for <see cref="Release"/>, like a slow function.</summary>
    public void Hold() => held = true;

    /// <summary>Lets <paramref name="count"/> held invocations finish.</summary>
    public void Release(int count) => gate.Release(count);

    /// <summary>Lets every invocation finish, now and from now on.</summary>
    public void ReleaseAll()
    {
        held = false;
        gate.Release(1000);
    }

    public void Dispose() => gate.Dispose();

    public async Task<InvocationResult> InvokeAsync(string functionName, InvocationRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        var now = Interlocked.Increment(ref running);
        int seen;
        while ((seen = Volatile.Read(ref mostRunning)) < now && Interlocked.CompareExchange(ref mostRunning, now, seen) != seen)
        {
        }

        try
        {
            if (held)
            {
                await gate.WaitAsync(cancellationToken);
            }

            return failure?.Invoke(request) is { } error
                ? InvocationResult.Failed(request.InvocationId, error)
                : new InvocationResult(request.InvocationId, true, null);
        }
        finally
        {
            Interlocked.Decrement(ref running);
        }
    }
}

/// <summary>The storage settings devhost would read with AzureWebJobsStorage pointing at the test's Azurite.</summary>
internal static class TestStorage
{
    public static AppSettings Settings(Azurite azurite, params (string Name, string Value)[] more)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [StorageSettings.HostStorageSetting] = azurite.ConnectionString };
        foreach (var (name, value) in more)
        {
            values[name] = value;
        }

        return new AppSettings(values);
    }

    public static StorageAccount Account(Azurite azurite) =>
        StorageAccount.TryCreate(StorageSettings.HostStorageSetting, azurite.ConnectionString, out var account, out var error)
            ? account!
            : throw new InvalidOperationException(error);
}
