using System.Collections.Concurrent;
using System.Threading.Channels;
using BotSociety.DevHost.Rpc;
using Google.Protobuf.WellKnownTypes;

namespace BotSociety.DevHost.Worker;

/// <summary>
/// One worker's end of the EventStream: the handshake, invocations matched to their responses by id, and the
/// worker's logs. The gRPC service feeds <see cref="Receive"/> and drains <see cref="Outbound"/>; the rest of
/// devhost talks to this object only.
/// </summary>
internal sealed partial class WorkerChannel(
    string workerId, WorkerOutput output, Func<string, LogLevel> minimumLevel, IOutputBindings outputBindings, TimeProvider timeProvider, ILogger logger)
{
    private const string HostVersion = "4.0.0-devhost";
    private const string HttpUriCapability = "HttpUri";

    private readonly Channel<StreamingMessage> outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<WorkerInitResponse> initResponse = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<FunctionMetadataResponse> metadataResponse = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FunctionLoadResponse>> loads = new();
    private readonly ConcurrentDictionary<string, PendingInvocation> invocations = new();
    private volatile string? closeReason;

    public string WorkerId => workerId;

    /// <summary>Completes when the worker's StartStream arrives.</summary>
    public Task Connected => connected.Task;

    /// <summary>Where the worker's own Kestrel listens (its <c>HttpUri</c> capability); null without the ASP.NET Core integration.</summary>
    public Uri? HttpUri { get; private set; }

    public IReadOnlyDictionary<string, WorkerFunction> Functions { get; private set; } = new Dictionary<string, WorkerFunction>();

    /// <summary>What devhost sends to the worker, in order; completes when the channel closes.</summary>
    public ChannelReader<StreamingMessage> Outbound => outbound.Reader;

    /// <summary>Claims the channel for the stream that sent StartStream; a second stream with the same id is refused.</summary>
    public bool TryAttach() => connected.TrySetResult();

    /// <summary>
    /// WorkerInitRequest → WorkerInitResponse, FunctionsMetadataRequest → FunctionMetadataResponse, then one
    /// FunctionLoadRequest per function and all their FunctionLoadResponses.
    /// </summary>
    /// <exception cref="WorkerStartException">The worker answered with a failure.</exception>
    public async Task<IReadOnlyList<WorkerFunction>> InitializeAsync(string scriptRoot, CancellationToken cancellationToken)
    {
        // The .NET worker reads no host capabilities, and devhost offers none of the optional ones (shared memory, multi-stream).
        Send(new StreamingMessage
        {
            WorkerInitRequest = new WorkerInitRequest { HostVersion = HostVersion, WorkerDirectory = scriptRoot, FunctionAppDirectory = scriptRoot },
        });
        var init = await initResponse.Task.WaitAsync(cancellationToken);
        EnsureSuccess(init.Result, "initialising");
        HttpUri = init.Capabilities.TryGetValue(HttpUriCapability, out var uri) && Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed : null;

        Send(new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = scriptRoot } });
        var metadata = await metadataResponse.Task.WaitAsync(cancellationToken);
        EnsureSuccess(metadata.Result, "indexing its functions");
        if (metadata.UseDefaultMetadataIndexing)
        {
            throw new WorkerStartException("the worker asked the host to index its functions (use_default_metadata_indexing); devhost supports worker indexing only");
        }

        var functions = metadata.FunctionMetadataResults.Select(WorkerFunction.From).ToList();
        var pendingLoads = new List<(WorkerFunction Function, Task<FunctionLoadResponse> Response)>();
        foreach (var function in functions)
        {
            var response = new TaskCompletionSource<FunctionLoadResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            loads[function.FunctionId] = response;
            pendingLoads.Add((function, response.Task));

            // The worker's metadata goes back as it came (protobuf keeps the fields devhost's proto leaves out).
            var loaded = function.Metadata.Clone();
            loaded.Directory = scriptRoot;
            Send(new StreamingMessage { FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = loaded } });
        }

        foreach (var (function, response) in pendingLoads)
        {
            EnsureSuccess((await response.WaitAsync(cancellationToken)).Result, $"loading function '{function.Name}'");
        }

        Functions = functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        return functions;
    }

    /// <summary>Sends the invocation and waits for its InvocationResponse; a worker that goes away meanwhile fails it.</summary>
    public async Task<InvocationResult> InvokeAsync(WorkerFunction function, InvocationRequest request, CancellationToken cancellationToken)
    {
        request.FunctionId = function.FunctionId;
        var pending = new PendingInvocation(function.Name);
        if (!invocations.TryAdd(request.InvocationId, pending))
        {
            throw new InvalidOperationException($"Invocation id '{request.InvocationId}' is already in flight.");
        }

        try
        {
            // Checked after registering, so Close either sees this invocation or this sees Close.
            if (closeReason is not null || !outbound.Writer.TryWrite(new StreamingMessage { InvocationRequest = request }))
            {
                throw new WorkerUnavailableException(closeReason ?? "the worker's stream is closed");
            }

            var started = timeProvider.GetTimestamp();
            var result = await pending.Result.Task.WaitAsync(cancellationToken);
            if (result.Succeeded)
            {
                // The outputs are written whatever becomes of the caller (an HTTP client may have gone): the function ran.
                result = await outputBindings.CompleteAsync(function, result, CancellationToken.None);
            }

            var milliseconds = (long)timeProvider.GetElapsedTime(started).TotalMilliseconds;
            if (result.Succeeded)
            {
                LogSucceeded(logger, function.Name, request.InvocationId, milliseconds);
            }
            else
            {
                LogFailed(logger, function.Name, request.InvocationId, milliseconds, result.Error ?? "");
            }

            return result;
        }
        finally
        {
            invocations.TryRemove(request.InvocationId, out _);
        }
    }

    /// <summary>Asks the worker to stop; it exits by itself within the grace period (the caller kills it after that).</summary>
    public void Terminate(TimeSpan gracePeriod) =>
        outbound.Writer.TryWrite(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(gracePeriod) } });

    public void Receive(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
                initResponse.TrySetResult(message.WorkerInitResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                metadataResponse.TrySetResult(message.FunctionMetadataResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                if (loads.TryRemove(message.FunctionLoadResponse.FunctionId, out var load))
                {
                    load.TrySetResult(message.FunctionLoadResponse);
                }

                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                Complete(message.InvocationResponse);
                break;
            case StreamingMessage.ContentOneofCase.RpcLog:
                Relay(message.RpcLog);
                break;
            default:
                // Messages devhost's proto does not name (e.g. WorkerStatusResponse) need no answer.
                break;
        }
    }

    /// <summary>The stream ended: everything still waiting on the worker fails with <paramref name="reason"/>.</summary>
    public void Close(string reason)
    {
        closeReason ??= reason;
        outbound.Writer.TryComplete();
        var error = new WorkerUnavailableException(reason);
        connected.TrySetException(error);
        initResponse.TrySetException(error);
        metadataResponse.TrySetException(error);
        foreach (var load in loads.Values)
        {
            load.TrySetException(error);
        }

        foreach (var (invocationId, pending) in invocations)
        {
            pending.Result.TrySetResult(InvocationResult.Failed(invocationId, $"the worker went away during the invocation ({reason})"));
        }
    }

    private void Send(StreamingMessage message)
    {
        if (!outbound.Writer.TryWrite(message))
        {
            throw new WorkerUnavailableException(closeReason ?? "the worker's stream is closed");
        }
    }

    private void Complete(InvocationResponse response)
    {
        if (!invocations.TryGetValue(response.InvocationId, out var pending))
        {
            return;
        }

        var status = response.Result?.Status ?? StatusResult.Types.Status.Failure;
        pending.Result.TrySetResult(status == StatusResult.Types.Status.Success
            ? new InvocationResult(response.InvocationId, true, null) { ReturnValue = response.ReturnValue, OutputData = [.. response.OutputData] }
            : InvocationResult.Failed(response.InvocationId, Describe(response.Result) ?? status.ToString()));
    }

    private void Relay(RpcLog log)
    {
        // RpcLog's levels are ILogger's, in the same order.
        var level = (LogLevel)(int)log.Level;
        if (level == LogLevel.None || level < minimumLevel(log.Category))
        {
            return;
        }

        var source = invocations.TryGetValue(log.InvocationId, out var pending) ? pending.FunctionName : "worker";
        var text = log.Exception is { } exception ? $"{log.Message} {exception.Type}: {exception.Message}" : log.Message;
        output.Add(text);
        LogWorkerMessage(logger, level, source, text);
        if (log.Exception is { StackTrace.Length: > 0 } failure && level >= LogLevel.Error)
        {
            LogWorkerStackTrace(logger, level, source, failure.StackTrace);
        }
    }

    private static void EnsureSuccess(StatusResult? result, string step)
    {
        if (result is null || result.Status != StatusResult.Types.Status.Success)
        {
            throw new WorkerStartException($"the worker failed {step}: {Describe(result) ?? "no status"}");
        }
    }

    private static string? Describe(StatusResult? result) => result switch
    {
        { Exception: { } exception } => string.IsNullOrEmpty(exception.Type) ? exception.Message : $"{exception.Type}: {exception.Message}",
        { Result.Length: > 0 } => result.Result,
        _ => null,
    };

    private sealed class PendingInvocation(string functionName)
    {
        public string FunctionName => functionName;

        public TaskCompletionSource<InvocationResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "[{Function}] Executed (Succeeded, Id={InvocationId}, Duration={Milliseconds} ms)")]
    private static partial void LogSucceeded(ILogger logger, string function, string invocationId, long milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "[{Function}] Executed (Failed, Id={InvocationId}, Duration={Milliseconds} ms): {Error}")]
    private static partial void LogFailed(ILogger logger, string function, string invocationId, long milliseconds, string error);

    [LoggerMessage(Message = "[{Source}] {Message}")]
    private static partial void LogWorkerMessage(ILogger logger, LogLevel level, string source, string message);

    [LoggerMessage(Message = "[{Source}] {StackTrace}")]
    private static partial void LogWorkerStackTrace(ILogger logger, LogLevel level, string source, string stackTrace);
}
