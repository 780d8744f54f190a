using System.Text.Json;
using BotSociety.DevHost.Rpc;

namespace BotSociety.DevHost.Worker;

/// <summary>One function as the worker indexed it: its id for invocations and the bindings devhost acts on.</summary>
internal sealed record WorkerFunction(string Name, string FunctionId, IReadOnlyList<FunctionBinding> Bindings, RpcFunctionMetadata Metadata)
{
    /// <summary>The trigger binding; every function has exactly one.</summary>
    public FunctionBinding? Trigger => Bindings.FirstOrDefault(b => b.IsTrigger);

    public bool IsTriggeredBy(string type) => Trigger?.Type.Equals(type, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Reads the raw bindings JSON the worker sends (the same objects as in functions.metadata).</summary>
    public static WorkerFunction From(RpcFunctionMetadata metadata)
    {
        var bindings = new List<FunctionBinding>();
        foreach (var raw in metadata.RawBindings)
        {
            using var document = JsonDocument.Parse(raw);
            bindings.Add(new FunctionBinding(document.RootElement.Clone()));
        }

        return new WorkerFunction(metadata.Name, metadata.FunctionId, bindings, metadata);
    }
}

/// <summary>One raw binding object, e.g. <c>{"name":"timer","type":"timerTrigger","schedule":"%HeartbeatSchedule%"}</c>.</summary>
internal sealed class FunctionBinding(JsonElement raw)
{
    public string Name => GetString("name") ?? "";

    public string Type => GetString("type") ?? "";

    public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase);

    // Binding property names are case-insensitive for the host (the SDK writes camelCase, hand-written function.json varies).
    public string? GetString(string property) =>
        TryGet(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The property as true or false (a JSON boolean or its text); <paramref name="fallback"/> when absent or neither.</summary>
    public bool GetBoolean(string property, bool fallback = false) =>
        !TryGet(property, out var value) ? fallback : value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
            _ => fallback,
        };

    public IReadOnlyList<string> GetStrings(string property) =>
        TryGet(property, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];

    private bool TryGet(string property, out JsonElement value)
    {
        if (raw.ValueKind == JsonValueKind.Object)
        {
            foreach (var candidate in raw.EnumerateObject())
            {
                if (candidate.Name.Equals(property, StringComparison.OrdinalIgnoreCase))
                {
                    value = candidate.Value;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }
}
