using System.Net.WebSockets;

namespace BotSociety.Relay.Messages;

/// <summary>
/// A data message, encoded once for every recipient: the JSON envelope for the two JSON subprotocols (without a
/// sequenceId, which is each connection's own) and the bare payload for plain WebSocket clients.
/// </summary>
internal sealed class OutgoingMessage(byte[] envelope, RelayData data)
{
    private static readonly byte[] SequencePrefix = "{\"sequenceId\":"u8.ToArray();

    public ReadOnlyMemory<byte> Envelope => envelope;

    public Frame Plain => new(data.Bytes, data.Type == DataType.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text);

    /// <summary>The envelope with the sequenceId as its first property, spliced in rather than re-serialized per connection.</summary>
    public Frame WithSequenceId(long sequenceId)
    {
        Span<byte> digits = stackalloc byte[20];
        sequenceId.TryFormat(digits, out var length, provider: System.Globalization.CultureInfo.InvariantCulture);
        var bytes = new byte[SequencePrefix.Length + length + 1 + envelope.Length - 1];
        SequencePrefix.CopyTo(bytes, 0);
        digits[..length].CopyTo(bytes.AsSpan(SequencePrefix.Length));
        bytes[SequencePrefix.Length + length] = (byte)',';
        envelope.AsSpan(1).CopyTo(bytes.AsSpan(SequencePrefix.Length + length + 1));
        return Frame.Text(bytes);
    }
}
