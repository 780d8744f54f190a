using BotSociety.DevHost.Rpc;
using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Tests.Unit;

/// <summary>Builds functions the way the worker describes them: raw binding JSON in an RpcFunctionMetadata.</summary>
internal static class TestFunctions
{
    public static WorkerFunction Http(string name, string? route, params string[] methods)
    {
        var routeJson = route is null ? "" : $",\"route\":\"{route}\"";
        var methodsJson = string.Join(",", methods.Select(m => $"\"{m}\""));
        return Function(name,
            $$$"""{"name":"request","direction":"In","type":"httpTrigger","authLevel":"Anonymous","methods":[{{{methodsJson}}}]{{{routeJson}}},"properties":{}}""",
            """{"name":"$return","type":"http","direction":"Out"}""");
    }

    public static WorkerFunction Timer(string name, string schedule, bool runOnStartup = false) =>
        Function(name, $$$"""{"name":"timer","direction":"In","type":"timerTrigger","schedule":"{{{schedule}}}","runOnStartup":{{{(runOnStartup ? "true" : "false")}}},"properties":{}}""");

    public static WorkerFunction MonitoredTimer(string name, string schedule, bool useMonitor) =>
        Function(name, $$$"""{"name":"timer","direction":"In","type":"timerTrigger","schedule":"{{{schedule}}}","useMonitor":{{{(useMonitor ? "true" : "false")}}},"properties":{}}""");

    public static WorkerFunction Queue(string name, string queueName, string? connection = null) =>
        Function(name, $$$"""{"name":"message","direction":"In","type":"queueTrigger","dataType":"String","queueName":"{{{queueName}}}"{{{Connection(connection)}}},"properties":{}}""");

    /// <summary>A timer whose return value goes to a queue, and optionally a named queue output beside it.</summary>
    public static WorkerFunction TimerWithQueueOutput(string name, string returnQueue, string? namedOutput = null, string? namedQueue = null, string? connection = null)
    {
        List<string> bindings =
        [
            """{"name":"timer","direction":"In","type":"timerTrigger","schedule":"0 0 0 1 1 *","properties":{}}""",
            $$$"""{"name":"$return","direction":"Out","type":"queue","queueName":"{{{returnQueue}}}"{{{Connection(connection)}}},"properties":{}}""",
        ];
        if (namedOutput is not null)
        {
            bindings.Add($$$"""{"name":"{{{namedOutput}}}","direction":"Out","type":"queue","queueName":"{{{namedQueue}}}"{{{Connection(connection)}}},"properties":{}}""");
        }

        return Function(name, [.. bindings]);
    }

    private static string Connection(string? connection) => connection is null ? "" : $",\"connection\":\"{connection}\"";

    private static WorkerFunction Function(string name, params string[] rawBindings)
    {
        var metadata = new RpcFunctionMetadata { Name = name, FunctionId = $"id-{name}", ScriptFile = "App.dll", EntryPoint = $"App.{name}" };
        metadata.RawBindings.Add(rawBindings);
        return WorkerFunction.From(metadata);
    }
}
