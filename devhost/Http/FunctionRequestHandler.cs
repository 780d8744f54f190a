using BotSociety.DevHost.Hosting;
using BotSociety.DevHost.Worker;
using Yarp.ReverseProxy.Forwarder;

namespace BotSociety.DevHost.Http;

/// <summary>
/// Serves one request for an HTTP function the way the Functions host does: match the route, tag the request with
/// a new invocation id, start forwarding it to the worker's Kestrel, then send the InvocationRequest, and answer
/// 500 with problem details when the invocation fails before the worker's response went out.
/// </summary>
internal sealed partial class FunctionRequestHandler(
    FunctionCatalog catalog,
    WorkerSupervisor supervisor,
    WorkerReadiness readiness,
    IHttpForwarder forwarder,
    WorkerHttpClient client,
    ILogger<FunctionRequestHandler> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (!catalog.IsLoaded)
        {
            context.Response.Headers.RetryAfter = readiness.RetryAfterSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Problems.WorkerUnavailable("The worker has not finished starting.").ExecuteAsync(context);
            return;
        }

        switch (catalog.Routes.Match(context.Request.Method, context.Request.Path))
        {
            case RouteMatch.Found found:
                await ForwardAsync(context, found);
                break;
            case RouteMatch.MethodNotAllowed notAllowed:
                context.Response.Headers.Allow = string.Join(", ", notAllowed.Allowed);
                await Problems.MethodNotAllowed($"{context.Request.Method} is not allowed here; use {string.Join(" or ", notAllowed.Allowed)}.").ExecuteAsync(context);
                break;
            default:
                await Problems.NotFound($"No function serves {context.Request.Method} {context.Request.Path}.").ExecuteAsync(context);
                break;
        }
    }

    private async Task ForwardAsync(HttpContext context, RouteMatch.Found match)
    {
        var functionName = match.Route.FunctionName;
        if (supervisor.Current is not { HttpUri: { } httpUri } worker || !worker.Functions.TryGetValue(functionName, out var function))
        {
            var seconds = readiness.RetryAfterSeconds();
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Problems.WorkerUnavailable($"The worker is restarting; try again in {seconds} s.").ExecuteAsync(context);
            return;
        }

        var invocationId = Guid.NewGuid().ToString();
        context.Request.Headers[HttpInvocation.InvocationIdHeader] = invocationId;
        var request = HttpInvocation.Create(invocationId, match, context.Request);
        var outcome = new TaskCompletionSource<InvocationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var transformer = new WorkerResponseTransformer(outcome.Task);
        using var forwardingCancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);

        // Forwarding starts first, as in the host: the worker waits for the request before it runs the function.
        var forwarding = forwarder.SendAsync(context, httpUri.AbsoluteUri, client.Invoker, WorkerHttpClient.RequestConfig, transformer, forwardingCancellation.Token).AsTask();
        InvocationResult result;
        try
        {
            result = await worker.InvokeAsync(function, request, context.RequestAborted);
        }
        catch (WorkerUnavailableException e)
        {
            result = InvocationResult.Failed(invocationId, e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            result = InvocationResult.Failed(invocationId, "the client went away");
        }

        outcome.TrySetResult(result);
        if (!result.Succeeded && !transformer.ResponseArrived)
        {
            // The worker may still be waiting for a function that will never start; don't wait for its timeout.
            await forwardingCancellation.CancelAsync();
        }

        var error = await forwarding;
        if (context.Response.HasStarted)
        {
            if (!result.Succeeded)
            {
                LogFailedAfterResponse(logger, functionName, invocationId);
            }

            return;
        }

        if (!result.Succeeded)
        {
            context.Response.Clear();
            LogFunctionFailed(logger, functionName, invocationId, result.Error);
            await Problems.FunctionFailed(functionName, invocationId).ExecuteAsync(context);
        }
        else if (error != ForwarderError.None)
        {
            context.Response.Clear();
            LogForwardingFailed(logger, context.GetForwarderErrorFeature()?.Exception, functionName, invocationId, error);
            await Problems.BadGateway(functionName, error.ToString()).ExecuteAsync(context);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Function}] Invocation {InvocationId} failed and answered 500: {Error}")]
    private static partial void LogFunctionFailed(ILogger logger, string function, string invocationId, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Function}] Invocation {InvocationId} could not be forwarded ({Error}) and answered 502")]
    private static partial void LogForwardingFailed(ILogger logger, Exception? exception, string function, string invocationId, ForwarderError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Function}] Invocation {InvocationId} failed after its response had started; the client got a partial response")]
    private static partial void LogFailedAfterResponse(ILogger logger, string function, string invocationId);
}
