using System.Buffers;
using System.Text.Json;

namespace BotSociety.Relay.Messages;

/// <summary>The JSON the service writes to subprotocol clients, in the shapes the client SDK parses.</summary>
internal static class ServerMessages
{
    public static byte[] Connected(string connectionId, string? userId, string? reconnectionToken) => Write(json =>
    {
        json.WriteString("type", "system");
        json.WriteString("event", "connected");
        json.WriteString("connectionId", connectionId);
        json.WriteString("userId", userId);
        if (reconnectionToken is not null)
        {
            json.WriteString("reconnectionToken", reconnectionToken);
        }
    });

    public static byte[] Disconnected(string reason) => Write(json =>
    {
        json.WriteString("type", "system");
        json.WriteString("event", "disconnected");
        json.WriteString("message", reason);
    });

    public static byte[] Pong() => Write(json => json.WriteString("type", "pong"));

    public static byte[] Ack(long ackId) => Write(json =>
    {
        json.WriteString("type", "ack");
        json.WriteNumber("ackId", ackId);
        json.WriteBoolean("success", true);
    });

    /// <summary>Names the client knows: Duplicate (resolved as a duplicate), Forbidden, BadRequest, NotFound.</summary>
    public static byte[] AckError(long ackId, string name, string message) => Write(json =>
    {
        json.WriteString("type", "ack");
        json.WriteNumber("ackId", ackId);
        json.WriteBoolean("success", false);
        json.WriteStartObject("error");
        json.WriteString("name", name);
        json.WriteString("message", message);
        json.WriteEndObject();
    });

    public static OutgoingMessage FromServer(RelayData data) => new(Write(json =>
    {
        json.WriteString("type", "message");
        json.WriteString("from", "server");
        WriteData(json, data);
    }), data);

    /// <summary>Client and REST group sends share this shape; fromUserId is written even when null, as the emulator does.</summary>
    public static OutgoingMessage FromGroup(string group, string? fromUserId, RelayData data) => new(Write(json =>
    {
        json.WriteString("type", "message");
        json.WriteString("from", "group");
        json.WriteString("group", group);
        json.WriteString("fromUserId", fromUserId);
        WriteData(json, data);
    }), data);

    private static void WriteData(Utf8JsonWriter json, RelayData data)
    {
        json.WriteString("dataType", data.TypeName);
        json.WritePropertyName("data");
        switch (data.Type)
        {
            case DataType.Json:
                json.WriteRawValue(data.Bytes.Span);
                break;
            case DataType.Text:
                json.WriteStringValue(data.Bytes.Span);
                break;
            default:
                json.WriteBase64StringValue(data.Bytes.Span);
                break;
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
