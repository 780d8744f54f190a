using System.Text.Json;
using BotSociety.DevHost.Rpc;
using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Http;

/// <summary>
/// The InvocationRequest for a forwarded HTTP request. The request itself travels to the worker's Kestrel, so the
/// trigger input is an empty RpcHttp; route parameters bind from <c>trigger_metadata</c> and arrive null without it.
/// </summary>
internal static class HttpInvocation
{
    /// <summary>The header by which the worker pairs the forwarded request with its InvocationRequest.</summary>
    public const string InvocationIdHeader = "x-ms-invocation-id";

    public static InvocationRequest Create(string invocationId, RouteMatch.Found match, HttpRequest request)
    {
        var invocation = new InvocationRequest { InvocationId = invocationId, TraceContext = TraceContexts.FromCurrent() };
        invocation.InputData.Add(new ParameterBinding { Name = match.Route.TriggerBindingName, Data = new TypedData { Http = new RpcHttp() } });
        invocation.TriggerMetadata["Query"] = Json(request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()));
        invocation.TriggerMetadata["Headers"] = Json(request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()));
        foreach (var (name, value) in match.Values)
        {
            invocation.TriggerMetadata[name] = new TypedData { String = value };
        }

        return invocation;
    }

    private static TypedData Json(Dictionary<string, string> values) => new() { Json = JsonSerializer.Serialize(values) };
}
