using BotSociety.Core.Data;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace BotSociety.Functions.Api;

/// <summary>
/// Answers an HTTP function that threw with problem details that never carry the exception: a passing fault of the
/// database (<see cref="StorageFaults"/>: locked, a full disk, out of reach) is 503 with <c>Retry-After</c>, anything
/// else 500. Both name the invocation id, under which the exception is logged here. Every write runs in one
/// transaction, so a write that threw changed nothing.
/// </summary>
internal sealed partial class FaultAnswers(ILogger<FaultAnswers> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.GetHttpContext() is { Response.HasStarted: false } http
            && !(e is OperationCanceledException && http.RequestAborted.IsCancellationRequested))
        {
            var function = context.FunctionDefinition.Name;
            if (StorageFaults.Classify(e) is { } fault)
            {
                LogFault(logger, e, function, context.InvocationId, fault.Cause);
                http.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ApiResults.AnswerInsteadAsync(context, http, ApiResults.StorageFault(fault, context.InvocationId));
            }
            else
            {
                LogDefect(logger, e, function, context.InvocationId);
                await ApiResults.AnswerInsteadAsync(context, http, ApiResults.InternalError(context.InvocationId));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Function}] Invocation {InvocationId} met a passing database fault and answered 503: {Cause}")]
    private static partial void LogFault(ILogger logger, Exception exception, string function, string invocationId, string cause);

    [LoggerMessage(Level = LogLevel.Error, Message = "[{Function}] Invocation {InvocationId} failed and answered 500")]
    private static partial void LogDefect(ILogger logger, Exception exception, string function, string invocationId);
}
