namespace BotSociety.Relay.Connections;

/// <summary>The three kinds of client the relay speaks to.</summary>
internal enum ClientProtocol
{
    /// <summary>No known subprotocol: the client receives bare payloads and sends nothing the relay acts on.</summary>
    Plain,

    /// <summary><c>json.webpubsub.azure.v1</c></summary>
    Json,

    /// <summary><c>json.reliable.webpubsub.azure.v1</c>: sequence ids, sequenceAck and recovery.</summary>
    ReliableJson,
}

/// <summary>Subprotocol names as clients request them.</summary>
internal static class Subprotocols
{
    public const string Json = "json.webpubsub.azure.v1";
    public const string ReliableJson = "json.reliable.webpubsub.azure.v1";

    /// <summary>The first known name the client offers, in its order; an unknown one makes it a plain client.</summary>
    public static (ClientProtocol Protocol, string? Name) Choose(IEnumerable<string> requested)
    {
        foreach (var name in requested)
        {
            if (string.Equals(name, ReliableJson, StringComparison.OrdinalIgnoreCase))
            {
                return (ClientProtocol.ReliableJson, name);
            }

            if (string.Equals(name, Json, StringComparison.OrdinalIgnoreCase))
            {
                return (ClientProtocol.Json, name);
            }
        }

        return (ClientProtocol.Plain, null);
    }
}
