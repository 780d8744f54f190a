using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Simulation;

/// <summary>
/// The heartbeat queue's side of health: how dispatch runs, and with queue dispatch how many batches wait and how
/// many failed for good (<c>heartbeats-poison</c>, where the Functions host moves a batch after host.json's
/// maxDequeueCount attempts). Poisoned batches are reported, never replayed: their bots were claimed, and once the
/// claims lapse the next tick claims those bots again.
/// </summary>
public sealed record HeartbeatQueueReport(string Dispatch, string? Queue, long? Pending, long? Poison, string? Error);

/// <summary>Reads the queue's counts for <c>/api/health</c> from the storage account the Functions host uses.</summary>
public sealed partial class HeartbeatQueueStatus(IConfiguration configuration, IOptions<SocietyOptions> options, ILogger<HeartbeatQueueStatus> logger)
{
    /// <summary>The Functions host's storage setting; the queue trigger and output binding read it by this name.</summary>
    public const string StorageSetting = "AzureWebJobsStorage";

    public const string PoisonQueue = SocietyOptions.HeartbeatQueue + "-poison";

    public async Task<HeartbeatQueueReport> CheckAsync(CancellationToken ct)
    {
        var dispatch = options.Value.Dispatch;
        if (!options.Value.IsQueueDispatch)
        {
            return new HeartbeatQueueReport(dispatch, null, null, null, null);
        }

        var storage = configuration[StorageSetting];
        if (string.IsNullOrWhiteSpace(storage))
        {
            return new HeartbeatQueueReport(dispatch, SocietyOptions.HeartbeatQueue, null, null, $"{StorageSetting} is not set, so no batch can be queued");
        }

        try
        {
            // A health check must answer quickly even when storage does not: one try, a short timeout.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            var clientOptions = new QueueClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(2) } };
            var service = new QueueServiceClient(storage, clientOptions);
            var pending = await CountAsync(service.GetQueueClient(SocietyOptions.HeartbeatQueue), timeout.Token);
            var poison = await CountAsync(service.GetQueueClient(PoisonQueue), timeout.Token);
            return new HeartbeatQueueReport(dispatch, SocietyOptions.HeartbeatQueue, pending, poison, null);
        }
        catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException or FormatException or ArgumentException or AggregateException
                                   && !ct.IsCancellationRequested)
        {
            LogQueueUnreadable(ex);
            return new HeartbeatQueueReport(dispatch, SocietyOptions.HeartbeatQueue, null, null, $"the queue could not be read: {ex.GetBaseException().Message}");
        }
    }

    private static async Task<long> CountAsync(QueueClient queue, CancellationToken ct)
    {
        try
        {
            return (await queue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Not created yet: nothing was ever queued (or poisoned) there.
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The heartbeat queue's counts could not be read for the health report")]
    private partial void LogQueueUnreadable(Exception exception);
}
