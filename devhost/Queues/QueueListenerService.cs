using BotSociety.DevHost.Hosting;
using BotSociety.DevHost.Settings;
using BotSociety.DevHost.Storage;
using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Queues;

/// <summary>
/// Starts a listener for every queue-triggered function once the first worker is ready. A function whose storage
/// is not set, or does not answer, gets one line saying it is not listening and why; devhost carries on without it.
/// </summary>
internal sealed partial class QueueListenerService(
    FunctionCatalog catalog,
    StorageConnections connections,
    StorageProbes probes,
    StorageSettings storage,
    HostJson hostJson,
    IFunctionInvoker invoker,
    WorkerSupervisor supervisor,
    QueueWatcher watcher,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger logger = loggerFactory.CreateLogger<QueueListenerService>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await catalog.Loaded.WaitAsync(stoppingToken);
            var listening = new List<Task>();
            foreach (var trigger in catalog.QueueTriggers)
            {
                if (await StartAsync(trigger, stoppingToken) is { } listener)
                {
                    listening.Add(listener);
                }
            }

            await Task.WhenAll(listening);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task<Task?> StartAsync(QueueTriggerDefinition trigger, CancellationToken stoppingToken)
    {
        var lookup = connections.Find(trigger.Connection);
        if (lookup.Account is not { } account)
        {
            LogNotListening(logger, trigger.FunctionName, trigger.QueueName, lookup.Problem ?? "no storage account");
            return null;
        }

        if (await probes.QueuesAsync(account, stoppingToken) is { } problem)
        {
            LogNotListening(logger, trigger.FunctionName, trigger.QueueName,
                $"{account.SettingName} ({account.QueueEndpoint}) does not answer: {problem}. Start Azurite (tools/azurite) before devhost to listen");
            return null;
        }

        var listener = new QueueListener(
            trigger,
            account.Queues.GetQueueClient(trigger.QueueName),
            account.Queues.GetQueueClient(trigger.PoisonQueueName),
            hostJson.Queues,
            storage.QueueMessageLease,
            invoker,
            () => supervisor.Current is not null,
            watcher.Watch(account, trigger.QueueName),
            timeProvider,
            loggerFactory.CreateLogger<QueueListener>());
        return listener.RunAsync(stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue trigger {Function} is not listening on queue '{Queue}': {Reason}")]
    private static partial void LogNotListening(ILogger logger, string function, string queue, string reason);
}
