using BotSociety.DevHost.Hosting;
using BotSociety.DevHost.Queues;
using BotSociety.DevHost.Rpc;
using BotSociety.DevHost.Settings;
using BotSociety.DevHost.Storage;
using BotSociety.DevHost.Tests.Unit;
using BotSociety.DevHost.Worker;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BotSociety.DevHost.Tests.Storage;

/// <summary>
/// A function's <c>queue</c> output bindings as devhost writes them to Azurite once the worker reports success:
/// what lands in the queue for each kind of value, and what happens when the write cannot be made.
/// </summary>
public sealed class QueueOutputTests(Azurite azurite) : IClassFixture<Azurite>
{
    private static readonly IInlineConstraintResolver Constraints =
        new ServiceCollection().AddRouting().BuildServiceProvider().GetRequiredService<IInlineConstraintResolver>();

    private readonly ListLogger log = new();
    private readonly string returnQueue = Azurite.NewQueueName("batches");
    private readonly string namedQueue = Azurite.NewQueueName("audit");

    [Fact]
    public async Task ReturnedArrayBecomesOneMessagePerItem()
    {
        var (writer, function) = Writer(TestFunctions.TimerWithQueueOutput("Heartbeat", returnQueue));

        var result = await writer.CompleteAsync(function, Succeeded(returnValue: new TypedData { Json = """["batch-1","batch-2",{"bots":[3,4]}]""" }), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        var stored = await Messages.PeekAsync(azurite.Queues.GetQueueClient(returnQueue));
        Assert.Equal(["batch-1", "batch-2", """{"bots":[3,4]}"""], stored.Select(Messages.FromBase64));
    }

    [Fact]
    public async Task EmptyArrayWritesNoMessage()
    {
        var (writer, function) = Writer(TestFunctions.TimerWithQueueOutput("Heartbeat", returnQueue));

        var result = await writer.CompleteAsync(function, Succeeded(returnValue: new TypedData { Json = "[]" }), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(0, await Messages.CountAsync(azurite.Queues.GetQueueClient(returnQueue)));
    }

    [Fact]
    public async Task NothingReturnedWritesNoMessageAndNeedsNoStorage()
    {
        var (writer, function) = Writer(TestFunctions.TimerWithQueueOutput("Heartbeat", returnQueue, connection: "NoSuchStorage"));

        var result = await writer.CompleteAsync(function, Succeeded(returnValue: null), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
    }

    [Fact]
    public async Task StringAndNamedOutputEachBecomeAMessage()
    {
        var (writer, function) = Writer(TestFunctions.TimerWithQueueOutput("Heartbeat", returnQueue, namedOutput: "audit", namedQueue: namedQueue));
        var invocation = Succeeded(returnValue: new TypedData { String = "one batch" }) with
        {
            OutputData = [new ParameterBinding { Name = "audit", Data = new TypedData { CollectionString = new CollectionString { String = { "a", "b" } } } }],
        };

        var result = await writer.CompleteAsync(function, invocation, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["one batch"], (await Messages.PeekAsync(azurite.Queues.GetQueueClient(returnQueue))).Select(Messages.FromBase64));
        Assert.Equal(["a", "b"], (await Messages.PeekAsync(azurite.Queues.GetQueueClient(namedQueue))).Select(Messages.FromBase64));
    }

    [Fact]
    public async Task MessageEncodingNoneWritesTheTextAsIs()
    {
        var hostJson = HostJson.Default with { Queues = QueuesOptions.Default with { MessageEncoding = QueueEncoding.None } };
        var (writer, function) = Writer(TestFunctions.TimerWithQueueOutput("Heartbeat", returnQueue), hostJson);

        await writer.CompleteAsync(function, Succeeded(returnValue: new TypedData { Json = """["plain"]""" }), CancellationToken.None);

        Assert.Equal(["plain"], await Messages.PeekAsync(azurite.Queues.GetQueueClient(returnQueue)));
    }

    [Fact]
    public async Task WriteThatCannotBeMadeFailsTheInvocationAndSaysWhy()
    {
        var (writer, function) = Writer(TestFunctions.TimerWithQueueOutput("Heartbeat", returnQueue, connection: "NoSuchStorage"));

        var result = await writer.CompleteAsync(function, Succeeded(returnValue: new TypedData { Json = """["batch-1"]""" }), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains($"queue '{returnQueue}'", result.Error, StringComparison.Ordinal);
        Assert.Contains("'AzureWebJobsNoSuchStorage' nor 'NoSuchStorage' is set", result.Error, StringComparison.Ordinal);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("could not write to queue", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StorageThatDoesNotAnswerFailsTheInvocation()
    {
        var nowhere = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:{EndToEnd.DevHostProcess.FreePort()}/devstoreaccount1;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;";
        var settings = new AppSettings(new Dictionary<string, string> { [StorageSettings.HostStorageSetting] = nowhere });
        var (writer, function) = Writer(TestFunctions.TimerWithQueueOutput("Heartbeat", returnQueue), settings: settings);

        var result = await writer.CompleteAsync(function, Succeeded(returnValue: new TypedData { Json = """["batch-1"]""" }), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("AzureWebJobsStorage (http://127.0.0.1:", result.Error, StringComparison.Ordinal);
    }

    private static InvocationResult Succeeded(TypedData? returnValue) => new("invocation-1", true, null) { ReturnValue = returnValue };

    private (QueueOutputWriter Writer, WorkerFunction Function) Writer(WorkerFunction function, HostJson? hostJson = null, AppSettings? settings = null)
    {
        settings ??= TestStorage.Settings(azurite);
        var catalog = new FunctionCatalog(hostJson ?? HostJson.Default, settings, Constraints);
        catalog.Load([function]);
        var connections = new StorageConnections(settings, StorageSettings.Load(settings, "/app"));
        return (new QueueOutputWriter(catalog, connections, hostJson ?? HostJson.Default, new QueueWatcher(), new ListLogger<QueueOutputWriter>(log)), function);
    }
}
