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

    private static WorkerFunction Function(string name, params string[] rawBindings)
    {
        var metadata = new RpcFunctionMetadata { Name = name, FunctionId = $"id-{name}", ScriptFile = "App.dll", EntryPoint = $"App.{name}" };
        metadata.RawBindings.Add(rawBindings);
        return WorkerFunction.From(metadata);
    }
}
