using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Queues;
using BotSociety.DevHost.Queues;
using BotSociety.DevHost.Rpc;
using BotSociety.DevHost.Tests.Unit;

namespace BotSociety.DevHost.Tests.Storage;

/// <summary>
/// A queue-triggered function as devhost runs it against a real Azurite: what reaches the function, what is left in
/// the queue and in its poison queue, and what the console says. The worker is a scripted invoker.
/// </summary>
public sealed class QueueListenerTests(Azurite azurite) : IClassFixture<Azurite>, IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly ListLogger log = new();
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> listeners = [];
    private readonly string queueName = Azurite.NewQueueName("work");

    private QueueClient Queue => azurite.Queues.GetQueueClient(queueName);

    private QueueClient Poison => azurite.Queues.GetQueueClient(queueName + "-poison");

    [Fact]
    public async Task MessageReachesTheFunctionWithItsMetadataAndIsDeletedOnSuccess()
    {
        await Queue.CreateAsync();
        var sent = (await Queue.SendMessageAsync(Messages.Base64("""{"batch":7}"""))).Value;
        var invoker = new ScriptedInvoker();

        Listen(QueuesOptions.Default, invoker);

        await Wait.UntilAsync(() => invoker.Requests.Count == 1, Patience, () => "the function was not invoked");
        var request = invoker.Requests.Single();
        var input = Assert.Single(request.InputData);
        Assert.Equal("message", input.Name);
        Assert.Equal("""{"batch":7}""", input.Data.String);
        var metadata = request.TriggerMetadata;
        Assert.Equal("""{"batch":7}""", metadata["QueueTrigger"].String);
        Assert.Equal("1", metadata["DequeueCount"].Json);
        Assert.Equal(sent.MessageId, metadata["Id"].String);
        Assert.False(string.IsNullOrEmpty(metadata["PopReceipt"].String));
        Assert.Equal(sent.InsertionTime, JsonSerializer.Deserialize<DateTimeOffset>(metadata["InsertionTime"].Json));
        Assert.Equal(sent.ExpirationTime, JsonSerializer.Deserialize<DateTimeOffset>(metadata["ExpirationTime"].Json));
        Assert.True(JsonSerializer.Deserialize<DateTimeOffset>(metadata["NextVisibleTime"].Json) > sent.InsertionTime.AddMinutes(5),
            "the message is dequeued with the host's 10-minute visibility");
        Assert.False(string.IsNullOrEmpty(request.TraceContext.TraceParent));

        await Wait.UntilAsync(async () => await Messages.CountAsync(Queue) == 0, Patience, () => "the message was not deleted");
        Assert.Empty(await Messages.PeekAsync(Poison));
    }

    [Fact]
    public async Task FailingMessageIsRetriedThenMovedToPoisonWithTheErrorLogged()
    {
        await Queue.CreateAsync();
        var stored = Messages.Base64("not a batch");
        await Queue.SendMessageAsync(stored);
        var invoker = new ScriptedInvoker(_ => "FormatException: 'not a batch' is not a heartbeat batch");

        Listen(QueuesOptions.Default with { MaxDequeueCount = 3 }, invoker);

        await Wait.UntilAsync(async () => (await Messages.PeekAsync(Poison)).Count == 1, Patience, () => $"nothing reached the poison queue; log:\n{string.Join('\n', log.Lines)}");
        Assert.Equal([stored], await Messages.PeekAsync(Poison));
        Assert.Equal(["1", "2", "3"], invoker.Requests.Select(r => r.TriggerMetadata["DequeueCount"].Json));
        // The poison copy is written before the original is deleted, so the original may still be there a moment.
        await Wait.UntilAsync(async () => await Messages.CountAsync(Queue) == 0, Patience, () => "the poisoned message stayed in its queue");
        var reason = Assert.Single(log.Lines, l => l.Contains("MaxDequeueCount of 3", StringComparison.Ordinal));
        Assert.Contains($"'{queueName}-poison'", reason, StringComparison.Ordinal);
        Assert.Contains("'not a batch' is not a heartbeat batch", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedMessageComesBackAfterTheVisibilityTimeout()
    {
        await Queue.CreateAsync();
        await Queue.SendMessageAsync(Messages.Base64("try again later"));
        var attempts = new List<long>();
        var clock = Stopwatch.StartNew();
        var invoker = new ScriptedInvoker(_ =>
        {
            lock (attempts)
            {
                attempts.Add(clock.ElapsedMilliseconds);
                return attempts.Count == 1 ? "busy" : null;
            }
        });

        Listen(QueuesOptions.Default with { VisibilityTimeout = TimeSpan.FromSeconds(3) }, invoker);

        await Wait.UntilAsync(async () => attempts.Count == 2 && await Messages.CountAsync(Queue) == 0, Patience, () => $"{attempts.Count} attempts");
        Assert.InRange(attempts[1] - attempts[0], 2_500, 15_000);
    }

    [Fact]
    public async Task MessageThatIsNotBase64GoesToPoisonAndTheListenerCarriesOn()
    {
        await Queue.CreateAsync();
        await Queue.SendMessageAsync("{ this is not base64 }");
        var invoker = new ScriptedInvoker();

        Listen(QueuesOptions.Default, invoker);

        await Wait.UntilAsync(async () => (await Messages.PeekAsync(Poison)).Count == 1, Patience, () => "the garbage did not reach the poison queue");
        Assert.Equal(["{ this is not base64 }"], await Messages.PeekAsync(Poison));
        Assert.Contains(log.Lines, l => l.Contains("is not base64 text", StringComparison.Ordinal));
        Assert.Empty(invoker.Requests);

        await Queue.SendMessageAsync(Messages.Base64("after the garbage"));
        await Wait.UntilAsync(() => invoker.Requests.Count == 1, Patience, () => "the next message was not delivered");
        Assert.Equal("after the garbage", invoker.Requests.Single().InputData[0].Data.String);
    }

    [Fact]
    public async Task BodyThatIsNotTextArrivesAsBytesWithoutQueueTrigger()
    {
        await Queue.CreateAsync();
        await Queue.SendMessageAsync(Convert.ToBase64String([0xff, 0xfe, 0x00, 0x80]));
        var invoker = new ScriptedInvoker();

        Listen(QueuesOptions.Default, invoker);

        await Wait.UntilAsync(() => invoker.Requests.Count == 1, Patience, () => "the function was not invoked");
        var request = invoker.Requests.Single();
        Assert.Equal(TypedData.DataOneofCase.Bytes, request.InputData[0].Data.DataCase);
        Assert.Equal([0xff, 0xfe, 0x00, 0x80], request.InputData[0].Data.Bytes.ToByteArray());
        Assert.False(request.TriggerMetadata.ContainsKey("QueueTrigger"));
    }

    [Fact]
    public async Task MessageEncodingNoneDeliversTheStoredTextAsItIs()
    {
        await Queue.CreateAsync();
        await Queue.SendMessageAsync("plain text");
        var invoker = new ScriptedInvoker();

        Listen(QueuesOptions.Default with { MessageEncoding = QueueEncoding.None }, invoker);

        await Wait.UntilAsync(() => invoker.Requests.Count == 1, Patience, () => "the function was not invoked");
        Assert.Equal("plain text", invoker.Requests.Single().InputData[0].Data.String);
    }

    [Fact]
    public async Task BatchSizeAndNewBatchThresholdBoundTheInvocationsRunningAtOnce()
    {
        await Queue.CreateAsync();
        for (var i = 0; i < 10; i++)
        {
            await Queue.SendMessageAsync(Messages.Base64($"message {i}"));
        }

        var invoker = new ScriptedInvoker();
        invoker.Hold();

        Listen(QueuesOptions.Default with { BatchSize = 4, NewBatchThreshold = 1 }, invoker);

        // One batch of four; the next is fetched only when no more than one is still running.
        await Wait.UntilAsync(() => invoker.Running == 4, Patience, () => $"{invoker.Running} running");
        await Task.Delay(1000);
        Assert.Equal(4, invoker.Requests.Count);

        invoker.Release(3);
        await Wait.UntilAsync(() => invoker.Requests.Count == 8, Patience, () => $"{invoker.Requests.Count} started");
        await Task.Delay(1000);
        Assert.Equal(8, invoker.Requests.Count);
        Assert.Equal(5, invoker.Running);

        invoker.ReleaseAll();
        await Wait.UntilAsync(async () => await Messages.CountAsync(Queue) == 0, Patience, () => "not every message was processed");
        Assert.Equal(10, invoker.Requests.Count);
        Assert.Equal(5, invoker.MostRunning);
    }

    [Fact]
    public async Task MessageStaysInvisibleWhileItsInvocationOutlastsTheLease()
    {
        await Queue.CreateAsync();
        await Queue.SendMessageAsync(Messages.Base64("slow"));
        var invoker = new ScriptedInvoker();
        invoker.Hold();

        // A 4 s lease renewed every 2 s, held for 2.5 leases: a renewal may come up to 2 s late on a loaded machine
        // (with a 2 s lease, one 1 s late let the message reappear while other suites ran beside this one).
        Listen(QueuesOptions.Default, invoker, messageLease: TimeSpan.FromSeconds(4));

        await Wait.UntilAsync(() => invoker.Running == 1, Patience, () => "the function was not invoked");
        await Task.Delay(TimeSpan.FromSeconds(10));
        Assert.Empty((await Queue.ReceiveMessagesAsync(1)).Value);
        Assert.Single(invoker.Requests);

        invoker.ReleaseAll();
        await Wait.UntilAsync(async () => await Messages.CountAsync(Queue) == 0, Patience, () => "the message was not deleted after its renewals");
        Assert.Single(invoker.Requests);
    }

    [Fact]
    public async Task MissingQueueIsCreated()
    {
        var invoker = new ScriptedInvoker();

        Listen(QueuesOptions.Default, invoker);

        await Wait.UntilAsync(async () => (await Queue.ExistsAsync()).Value, Patience, () => "the queue was not created");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(listeners);
    }

    public void Dispose() => stop.Dispose();

    private void Listen(QueuesOptions options, ScriptedInvoker invoker, TimeSpan? messageLease = null)
    {
        var trigger = new QueueTriggerDefinition("RunHeartbeats", "message", queueName, Connection: null);
        var listener = new QueueListener(
            trigger,
            Queue,
            Poison,
            options,
            messageLease ?? TimeSpan.FromMinutes(10),
            invoker,
            () => true,
            new Doorbell(),
            TimeProvider.System,
            log);
        listeners.Add(listener.RunAsync(stop.Token));
    }
}
