using System.Text.Json;
using BotSociety.DevHost.Hosting;
using BotSociety.DevHost.Rpc;
using BotSociety.DevHost.Timers;
using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Http;

/// <summary>
/// <c>POST /admin/functions/{name}</c>, the host's admin API for running a function now: a timer gets a
/// TimerInfo, other non-HTTP triggers get the body's <c>input</c> string. Unlike the host, devhost answers once
/// the invocation has finished (202 on success, 500 on failure), so scripts and tests can rely on its effect.
/// Local only: there is no master key.
/// </summary>
internal static partial class AdminEndpoints
{
    private static readonly JsonSerializerOptions SnakeCase = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static IEndpointRouteBuilder MapFunctionsAdmin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/admin/functions/{name}", RunAsync);
        return endpoints;
    }

    private static async Task<IResult> RunAsync(
        string name, HttpRequest request, FunctionCatalog catalog, TimerScheduler timers, IFunctionInvoker invoker, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!catalog.IsLoaded)
        {
            return Problems.WorkerUnavailable("The worker has not finished starting.");
        }

        if (!catalog.Functions.TryGetValue(name, out var function))
        {
            return Problems.NotFound($"There is no function '{name}'; the functions are {string.Join(", ", catalog.Functions.Keys)}.");
        }

        if (function.IsTriggeredBy(RouteTable.TriggerType))
        {
            var route = catalog.Routes.Routes.First(r => r.FunctionName == function.Name);
            return Problems.BadRequest($"'{function.Name}' is HTTP-triggered: call {string.Join("/", route.Methods)} /{route.Template} instead.");
        }

        try
        {
            InvocationResult result;
            if (timers.Find(function.Name) is { } timer)
            {
                result = await timer.RunNowAsync(cancellationToken);
            }
            else
            {
                if (await ReadInputAsync(request, cancellationToken) is not { } input)
                {
                    return Problems.BadRequest("The body must be JSON like {\"input\": \"...\"}.");
                }

                var invocation = new InvocationRequest { InvocationId = Guid.NewGuid().ToString(), TraceContext = TraceContexts.NewRoot() };
                invocation.InputData.Add(new ParameterBinding { Name = function.Trigger?.Name ?? "", Data = new TypedData { String = input } });
                result = await invoker.InvokeAsync(function.Name, invocation, cancellationToken);
            }

            return result.Succeeded
                ? TypedResults.Json(new AdminInvocation(function.Name, result.InvocationId, "succeeded"), SnakeCase, statusCode: StatusCodes.Status202Accepted)
                : Failed(loggers.CreateLogger(typeof(AdminEndpoints)), function.Name, result);
        }
        catch (WorkerUnavailableException e)
        {
            return Problems.WorkerUnavailable(e.Message);
        }
    }

    /// <summary>The error goes to the log, as for HTTP functions; the answer names the invocation to find it by.</summary>
    private static IResult Failed(ILogger logger, string function, InvocationResult result)
    {
        LogFailed(logger, function, result.InvocationId, result.Error);
        return Problems.FunctionFailed(function, result.InvocationId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Function}] Invocation {InvocationId} run through the admin API failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string function, string invocationId, string? error);

    /// <summary>The host's admin body is <c>{"input": "..."}</c>; an empty body means no input.</summary>
    private static async Task<string?> ReadInputAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(body))
        {
            return "";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("input", out var input)
                ? input.ValueKind == JsonValueKind.String ? input.GetString() : input.GetRawText()
                : "";
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record AdminInvocation(string Function, string InvocationId, string Status);
}
