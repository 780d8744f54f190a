using System.Collections.Concurrent;
using Azure;
using BotSociety.DevHost.Hosting;
using BotSociety.DevHost.Settings;
using BotSociety.DevHost.Storage;
using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Queues;

/// <summary>
/// The <c>queue</c> output bindings: after a function succeeded, its <c>$return</c> value or named outputs become
/// messages on their queues (created if missing), encoded as host.json's <c>messageEncoding</c> says. As in the
/// host, a write that fails fails the invocation, so a queue-triggered function is retried and a timer's run is
/// reported failed.
/// </summary>
internal sealed partial class QueueOutputWriter(
    FunctionCatalog catalog, StorageConnections connections, HostJson hostJson, QueueWatcher watcher, ILogger<QueueOutputWriter> logger)
    : IOutputBindings
{
    private const string ReturnBinding = "$return";

    // Queues known to exist, so each write costs one request.
    private readonly ConcurrentDictionary<string, bool> created = new(StringComparer.Ordinal);

    public async Task<InvocationResult> CompleteAsync(WorkerFunction function, InvocationResult result, CancellationToken cancellationToken)
    {
        if (!result.Succeeded || !catalog.QueueOutputs.TryGetValue(function.Name, out var outputs))
        {
            return result;
        }

        foreach (var output in outputs)
        {
            var value = output.BindingName == ReturnBinding
                ? result.ReturnValue
                : result.OutputData.FirstOrDefault(o => o.Name.Equals(output.BindingName, StringComparison.OrdinalIgnoreCase))?.Data;
            if (await WriteAsync(output, value, cancellationToken) is { } error)
            {
                LogWriteFailed(logger, function.Name, output.BindingName, output.QueueName, result.InvocationId, error);
                return InvocationResult.Failed(result.InvocationId, $"output binding '{output.BindingName}' could not write to queue '{output.QueueName}': {error}");
            }
        }

        return result;
    }

    /// <summary>Null when every message was written, else why not.</summary>
    private async Task<string?> WriteAsync(QueueOutputDefinition output, Rpc.TypedData? value, CancellationToken cancellationToken)
    {
        IReadOnlyList<byte[]> messages;
        try
        {
            messages = QueueOutputMessages.From(value);
        }
        catch (Exception e) when (e is NotSupportedException or System.Text.Json.JsonException)
        {
            return e.Message;
        }

        if (messages.Count == 0)
        {
            return null;
        }

        var lookup = connections.Find(output.Connection);
        if (lookup.Account is not { } account)
        {
            return lookup.Problem;
        }

        try
        {
            var queue = account.Queues.GetQueueClient(output.QueueName);
            if (!created.ContainsKey($"{account.QueueEndpoint}/{output.QueueName}"))
            {
                await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                created[$"{account.QueueEndpoint}/{output.QueueName}"] = true;
            }

            foreach (var message in messages)
            {
                await queue.SendMessageAsync(QueueMessageCodec.Encode(message, hostJson.Queues.MessageEncoding), cancellationToken);
            }

            LogWritten(logger, output.FunctionName, messages.Count, output.QueueName);
            watcher.Notify(account, output.QueueName);
            return null;
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or IOException or AggregateException or TaskCanceledException)
        {
            created.TryRemove($"{account.QueueEndpoint}/{output.QueueName}", out _);
            return $"{account.SettingName} ({account.QueueEndpoint}): {StorageAccount.Describe(e)}";
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "[{Function}] Wrote {Count} message(s) to queue '{Queue}'")]
    private static partial void LogWritten(ILogger logger, string function, int count, string queue);

    [LoggerMessage(Level = LogLevel.Error, Message = "[{Function}] Output binding '{Binding}' could not write to queue '{Queue}' (invocation {InvocationId}); the invocation fails: {Error}")]
    private static partial void LogWriteFailed(ILogger logger, string function, string binding, string queue, string invocationId, string error);
}
