namespace BotSociety.DevHost.Worker;

/// <summary>How one invocation ended, as the worker reported it (or as devhost decided when the worker went away).</summary>
internal sealed record InvocationResult(string InvocationId, bool Succeeded, string? Error)
{
    public static InvocationResult Failed(string invocationId, string error) => new(invocationId, false, error);
}

/// <summary>Runs a function in the current worker; the seam the timers, the HTTP forwarding and the admin API share.</summary>
internal interface IFunctionInvoker
{
    /// <summary>Sends <paramref name="request"/> (function id filled in here) and waits for the worker's InvocationResponse.</summary>
    /// <exception cref="WorkerUnavailableException">No worker is ready, or it went away during the invocation.</exception>
    Task<InvocationResult> InvokeAsync(string functionName, Rpc.InvocationRequest request, CancellationToken cancellationToken);
}

/// <summary>No worker can take the invocation: it is starting, restarting or gone.</summary>
internal sealed class WorkerUnavailableException(string message) : Exception(message);
