using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using BotSociety.DevHost.Storage;
using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Queues;

/// <summary>
/// Runs one queue-triggered function the way the Storage Queues extension's QueueListener and QueueProcessor do:
/// <list type="bullet">
/// <item>polls with a randomized exponential backoff while the queue is empty, from 100 ms up to
/// <c>maxPollingInterval</c>, and at once when devhost itself has just written to the queue;</item>
/// <item>receives up to <c>batchSize</c> messages, keeps each invisible for the message lease while its invocation
/// runs (renewing at half of it), and fetches the next batch when no more than <c>newBatchThreshold</c> are still
/// running;</item>
/// <item>deletes a message whose invocation succeeded; makes a failed one visible again after
/// <c>visibilityTimeout</c>, unless it has been dequeued <c>maxDequeueCount</c> times: then it moves, as stored,
/// to <c>&lt;queue&gt;-poison</c> with the invocation's error logged;</item>
/// <item>moves a message that does not decode under <c>messageEncoding</c> to the poison queue at once, as the
/// extension's decoding-failed handler does.</item>
/// </list>
/// Nothing a message holds or storage answers ends the listener; only devhost stopping does.
/// </summary>
internal sealed partial class QueueListener(
    QueueTriggerDefinition trigger,
    QueueClient queue,
    QueueClient poisonQueue,
    QueuesOptions options,
    TimeSpan messageLease,
    IFunctionInvoker invoker,
    Func<bool> workerReady,
    Doorbell doorbell,
    TimeProvider timeProvider,
    ILogger logger)
{
    private static readonly TimeSpan WorkerWait = TimeSpan.FromMilliseconds(250);

    private TimeSpan backoff;
    private bool storageFailing;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        var threshold = options.EffectiveNewBatchThreshold;
        try
        {
            await EnsureQueueAsync(stoppingToken);
            LogListening(logger, trigger.FunctionName, trigger.QueueName, options.BatchSize, threshold, options.MaxDequeueCount);
            while (true)
            {
                stoppingToken.ThrowIfCancellationRequested();
                if (!workerReady())
                {
                    // Like the host, no message is taken while no worker can run it: it would only fail and count a dequeue.
                    await Task.Delay(WorkerWait, timeProvider, stoppingToken);
                    continue;
                }

                var batch = await ReceiveAsync(stoppingToken);
                if (batch is null)
                {
                    continue;
                }

                if (batch.Length == 0)
                {
                    await doorbell.WaitAsync(NextBackoff(), timeProvider, stoppingToken);
                    continue;
                }

                backoff = TimeSpan.Zero;
                running.RemoveAll(t => t.IsCompleted);
                running.AddRange(batch.Select(ProcessAsync));
                while (running.Count > threshold)
                {
                    running.Remove(await Task.WhenAny(running));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: messages in flight finish (or fail and are released) below.
        }
        finally
        {
            await Task.WhenAll(running);
        }
    }

    /// <summary>The next batch, empty when the queue is; null after a storage failure (already waited out).</summary>
    private async Task<QueueMessage[]?> ReceiveAsync(CancellationToken stoppingToken)
    {
        try
        {
            var batch = (await queue.ReceiveMessagesAsync(options.BatchSize, messageLease, stoppingToken)).Value;
            if (storageFailing)
            {
                storageFailing = false;
                LogStorageBack(logger, trigger.FunctionName, trigger.QueueName);
            }

            return batch;
        }
        catch (Exception e) when (StorageErrors.Is(e, 404, "QueueNotFound"))
        {
            // Deleted under us: make it again, as the host re-checks existence after any error.
            await EnsureQueueAsync(stoppingToken);
            return null;
        }
        catch (Exception e) when (StorageErrors.IsStorageFailure(e, stoppingToken))
        {
            if (!storageFailing)
            {
                storageFailing = true;
                LogStorageFailing(logger, trigger.FunctionName, trigger.QueueName, StorageAccount.Describe(e));
            }

            await Task.Delay(NextBackoff(), timeProvider, stoppingToken);
            return null;
        }
    }

    private async Task EnsureQueueAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                return;
            }
            catch (Exception e) when (StorageErrors.IsStorageFailure(e, stoppingToken))
            {
                if (!storageFailing)
                {
                    storageFailing = true;
                    LogStorageFailing(logger, trigger.FunctionName, trigger.QueueName, StorageAccount.Describe(e));
                }

                await Task.Delay(NextBackoff(), timeProvider, stoppingToken);
            }
        }
    }

    // RandomizedExponentialBackoffStrategy: double from the minimum up to the maximum, each wait drawn within ±20 %.
    private TimeSpan NextBackoff()
    {
        backoff = backoff == TimeSpan.Zero
            ? QueuesOptions.MinimumPollingInterval
            : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxPollingInterval.Ticks));
#pragma warning disable CA5394 // Jitter to spread polls, not security.
        var jittered = backoff * (0.8 + (0.4 * Random.Shared.NextDouble()));
#pragma warning restore CA5394
        return jittered < QueuesOptions.MinimumPollingInterval ? QueuesOptions.MinimumPollingInterval
            : jittered > options.MaxPollingInterval ? options.MaxPollingInterval
            : jittered;
    }

    /// <summary>One message, start to end; never throws (a storage failure leaves the message to reappear after its lease).</summary>
    private async Task ProcessAsync(QueueMessage message)
    {
        try
        {
            if (message.DequeueCount > options.MaxDequeueCount)
            {
                // Already tried often enough (e.g. its last attempt's devhost died): straight to poison, as the host does.
                LogPoison(logger, trigger.FunctionName, message.MessageId, options.MaxDequeueCount, trigger.PoisonQueueName,
                    $"it was dequeued {message.DequeueCount} times");
                await MoveToPoisonAsync(message, message.PopReceipt);
                return;
            }

            if (!QueueMessageCodec.TryDecode(message.Body.ToString(), options.MessageEncoding, out var body))
            {
                LogUndecodable(logger, trigger.FunctionName, message.MessageId, trigger.QueueName, trigger.PoisonQueueName);
                await MoveToPoisonAsync(message, message.PopReceipt);
                return;
            }

            var request = QueueInvocation.Create(trigger, message, body, timeProvider.GetUtcNow());
            using var invisible = new CancellationTokenSource();
            var keeping = KeepInvisibleAsync(message, invisible.Token);
            InvocationResult result;
            try
            {
                result = await invoker.InvokeAsync(trigger.FunctionName, request, CancellationToken.None);
            }
            catch (WorkerUnavailableException e)
            {
                result = InvocationResult.Failed(request.InvocationId, e.Message);
            }
            finally
            {
                await invisible.CancelAsync();
            }

            var popReceipt = await keeping;
            if (result.Succeeded)
            {
                await DeleteAsync(message.MessageId, popReceipt);
            }
            else if (message.DequeueCount >= options.MaxDequeueCount)
            {
                LogPoison(logger, trigger.FunctionName, message.MessageId, options.MaxDequeueCount, trigger.PoisonQueueName, result.Error ?? "the invocation failed");
                await MoveToPoisonAsync(message, popReceipt);
            }
            else
            {
                await ReleaseAsync(message.MessageId, popReceipt);
            }
        }
        catch (Exception e) when (StorageErrors.IsStorageFailure(e, CancellationToken.None))
        {
            LogMessageStorageFailed(logger, trigger.FunctionName, message.MessageId, StorageAccount.Describe(e));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever a message holds, it must not take the listener (or devhost) down with it.
            LogMessageFailed(logger, trigger.FunctionName, message.MessageId, e);
        }
    }

    /// <summary>Renews the message's invisibility at half the lease until cancelled; returns the latest pop receipt.</summary>
    private async Task<string> KeepInvisibleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var popReceipt = message.PopReceipt;
        var interval = messageLease / 2;
        try
        {
            while (true)
            {
                await Task.Delay(interval, timeProvider, cancellationToken);
                try
                {
                    // Not cancelled with the invocation: a renewal the service applied but whose answer was dropped
                    // would leave this loop with a stale pop receipt, the delete would fail, and the finished message
                    // would run again (seen when an invocation ended just as a renewal was in flight).
                    var updated = await queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: messageLease, cancellationToken: CancellationToken.None);
                    popReceipt = updated.Value.PopReceipt;
                    interval = messageLease / 2;
                }
                catch (Exception e) when (StorageErrors.IsMessageGone(e))
                {
                    // Someone else has it now (or it was deleted); nothing left to keep.
                    return popReceipt;
                }
                catch (Exception e) when (StorageErrors.IsStorageFailure(e, cancellationToken))
                {
                    LogRenewFailed(logger, trigger.FunctionName, message.MessageId, StorageAccount.Describe(e));
                    // Try again sooner: the message must not reappear while its invocation runs.
                    interval = messageLease / 8;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return popReceipt;
        }
    }

    private async Task DeleteAsync(string messageId, string popReceipt)
    {
        try
        {
            await queue.DeleteMessageAsync(messageId, popReceipt);
        }
        catch (Exception e) when (StorageErrors.IsMessageGone(e))
        {
            // Another listener took it over (its lease ran out); that one decides.
        }
    }

    private async Task ReleaseAsync(string messageId, string popReceipt)
    {
        try
        {
            await queue.UpdateMessageAsync(messageId, popReceipt, visibilityTimeout: options.VisibilityTimeout);
        }
        catch (Exception e) when (StorageErrors.IsMessageGone(e))
        {
            // Gone or taken over: nothing to release.
        }
    }

    /// <summary>Copies the message's stored text to the poison queue (created if missing), then deletes it here.</summary>
    private async Task MoveToPoisonAsync(QueueMessage message, string popReceipt)
    {
        await poisonQueue.CreateIfNotExistsAsync();
        await poisonQueue.SendMessageAsync(message.Body.ToString());
        await DeleteAsync(message.MessageId, popReceipt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue trigger {Function} listens on queue '{Queue}' (batchSize {BatchSize}, newBatchThreshold {Threshold}, maxDequeueCount {MaxDequeueCount})")]
    private static partial void LogListening(ILogger logger, string function, string queue, int batchSize, int threshold, int maxDequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Function}] Message {MessageId} has reached MaxDequeueCount of {MaxDequeueCount}. Moving message to queue '{PoisonQueue}'. Reason: {Reason}")]
    private static partial void LogPoison(ILogger logger, string function, string messageId, int maxDequeueCount, string poisonQueue, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Function}] Message {MessageId} in queue '{Queue}' is not base64 text, as host.json extensions.queues.messageEncoding (default base64) says messages are. Moving message to queue '{PoisonQueue}'")]
    private static partial void LogUndecodable(ILogger logger, string function, string messageId, string queue, string poisonQueue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue trigger {Function}: queue '{Queue}' cannot be read: {Reason}. Retrying with backoff")]
    private static partial void LogStorageFailing(ILogger logger, string function, string queue, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue trigger {Function}: queue '{Queue}' answers again")]
    private static partial void LogStorageBack(ILogger logger, string function, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Function}] Could not keep message {MessageId} invisible while it runs: {Reason}")]
    private static partial void LogRenewFailed(ILogger logger, string function, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "[{Function}] Message {MessageId} failed in devhost; it reappears when its lease runs out")]
    private static partial void LogMessageFailed(ILogger logger, string function, string messageId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Function}] Message {MessageId} could not be completed in storage ({Reason}); it reappears when its lease runs out")]
    private static partial void LogMessageStorageFailed(ILogger logger, string function, string messageId, string reason);
}
