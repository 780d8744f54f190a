using System.Net.WebSockets;

namespace BotSociety.Relay.Connections;

/// <summary>
/// Why and how the relay ends a connection. <paramref name="Drain"/> writes what is already queued first (a REST
/// close); a limit breach closes at once. Every close the relay makes is final: recovery is refused afterwards.
/// </summary>
internal sealed record CloseRequest(WebSocketCloseStatus Status, string Reason, bool Drain)
{
    /// <summary>Close frame reasons are limited to 123 bytes of UTF-8.</summary>
    public string FrameReason => System.Text.Encoding.UTF8.GetByteCount(Reason) <= 123 ? Reason : Reason[..Math.Min(Reason.Length, 40)];
}
