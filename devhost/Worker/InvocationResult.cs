using BotSociety.DevHost.Rpc;

namespace BotSociety.DevHost.Worker;

/// <summary>How one invocation ended, as the worker reported it (or as devhost decided when the worker went away).</summary>
internal sealed record InvocationResult(string InvocationId, bool Succeeded, string? Error)
{
    /// <summary>The function's return value, for a <c>$return</c> output binding; null when it returned nothing.</summary>
    public TypedData? ReturnValue { get; init; }

    /// <summary>The values of the function's named output bindings.</summary>
    public IReadOnlyList<ParameterBinding> OutputData { get; init; } = [];

    public static InvocationResult Failed(string invocationId, string error) => new(invocationId, false, error);
}

/// <summary>Runs a function in the current worker; the seam the timers, the queues, the HTTP forwarding and the admin API share.</summary>
internal interface IFunctionInvoker
{
    /// <summary>Sends <paramref name="request"/> (function id filled in here) and waits for the worker's InvocationResponse.</summary>
    /// <exception cref="WorkerUnavailableException">No worker is ready, or it went away during the invocation.</exception>
    Task<InvocationResult> InvokeAsync(string functionName, Rpc.InvocationRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Does with a succeeded invocation's outputs what the host's output bindings do (writes its queue messages);
/// a write that fails turns the result into a failure.
/// </summary>
internal interface IOutputBindings
{
    Task<InvocationResult> CompleteAsync(WorkerFunction function, InvocationResult result, CancellationToken cancellationToken);
}

/// <summary>No worker can take the invocation: it is starting, restarting or gone.</summary>
internal sealed class WorkerUnavailableException(string message) : Exception(message);
