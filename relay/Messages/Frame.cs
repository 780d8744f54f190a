using System.Net.WebSockets;

namespace BotSociety.Relay.Messages;

/// <summary>One WebSocket message as it goes on the wire.</summary>
internal readonly record struct Frame(ReadOnlyMemory<byte> Bytes, WebSocketMessageType Type)
{
    public static Frame Text(ReadOnlyMemory<byte> bytes) => new(bytes, WebSocketMessageType.Text);
}
