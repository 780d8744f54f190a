using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using BotSociety.Relay.Auth;
using BotSociety.Relay.Connections;

namespace BotSociety.Relay.Messages;

/// <summary>
/// Acts on one message from a JSON-subprotocol client. Every message that carries an ackId gets an ack, because
/// the client SDK waits for it without a timeout.
/// </summary>
internal sealed class ClientMessageHandler(RelayLog log)
{
    /// <summary>Returns a close request when the message breaks the protocol (not JSON, no known type): 1007.</summary>
    public CloseRequest? Handle(ClientConnection connection, ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            var message = document.RootElement;
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                return Invalid("A message must be a JSON object with a string type.");
            }

            long? ackId = message.TryGetProperty("ackId", out var ack) && ack.ValueKind == JsonValueKind.Number && ack.TryGetInt64(out var id) ? id : null;
            var type = typeElement.GetString();
            switch (type)
            {
                case "ping":
                    connection.SendControl(ServerMessages.Pong());
                    return null;
                case "sequenceAck":
                    if (message.TryGetProperty("sequenceId", out var sequence) && sequence.TryGetInt64(out var sequenceId))
                    {
                        connection.AcknowledgeSequence(sequenceId);
                    }

                    return null;
                case "joinGroup":
                case "leaveGroup":
                case "sendToGroup":
                case "event":
                    return Acknowledged(connection, ackId, () => Operate(connection, type, message));
                default:
                    return Invalid($"Unknown message type '{type}'.");
            }
        }
        catch (JsonException)
        {
            return Invalid("The message is not JSON.");
        }
        catch (InvalidOperationException)
        {
            return Invalid("The message has a field of the wrong type.");
        }
        catch (FormatException)
        {
            return Invalid("The message's binary data is not base64.");
        }
    }

    private CloseRequest? Acknowledged(ClientConnection connection, long? ackId, Func<AckError?> operation)
    {
        if (ackId is { } duplicateCheck && connection.WasAckIdProcessed(duplicateCheck))
        {
            connection.SendControl(ServerMessages.AckError(duplicateCheck, "Duplicate", $"Message with ack-id: {duplicateCheck} has been processed."));
            return null;
        }

        var error = operation();
        if (ackId is not { } id)
        {
            return null;
        }

        if (error is null)
        {
            connection.RememberAckId(id);
            connection.SendControl(ServerMessages.Ack(id));
        }
        else
        {
            log.OperationRefused(connection.Id, error.Name, error.Message);
            connection.SendControl(ServerMessages.AckError(id, error.Name, error.Message));
        }

        return null;
    }

    private static AckError? Operate(ClientConnection connection, string type, JsonElement message)
    {
        if (type == "event")
        {
            // No upstream event handler exists here: the event is accepted and dropped, and the client gets its ack.
            return ReadData(message) is null ? AckError.BadRequest("The event's data does not match its dataType.") : null;
        }

        if (!message.TryGetProperty("group", out var groupElement) || groupElement.ValueKind != JsonValueKind.String
            || groupElement.GetString() is not { } group || string.IsNullOrWhiteSpace(group) || group.Length > 1024)
        {
            return AckError.BadRequest("The message needs a group name of 1 to 1024 characters.");
        }

        var hub = connection.Hub;
        if (type == "sendToGroup")
        {
            if (!Permissions.CanSendToGroup(connection, group))
            {
                return AckError.Forbidden($"The connection may not send to group '{group}'.");
            }

            if (ReadData(message) is not { } data)
            {
                return AckError.BadRequest("The message's data does not match its dataType.");
            }

            var noEcho = message.TryGetProperty("noEcho", out var echo) && echo.ValueKind == JsonValueKind.True;
            var outgoing = ServerMessages.FromGroup(group, connection.UserId, data);
            foreach (var member in hub.InGroup(group))
            {
                if (!(noEcho && member == connection))
                {
                    member.Send(outgoing);
                }
            }

            return null;
        }

        if (!Permissions.CanJoinOrLeave(connection, group))
        {
            return AckError.Forbidden($"The connection may not join or leave group '{group}'.");
        }

        if (type == "joinGroup")
        {
            hub.Join(connection, group);
        }
        else
        {
            hub.Leave(connection, group);
        }

        return null;
    }

    /// <summary>dataType defaults to json; binary data travels as base64 in the JSON and is kept as bytes here.</summary>
    private static RelayData? ReadData(JsonElement message)
    {
        var dataType = message.TryGetProperty("dataType", out var typeElement) && typeElement.ValueKind == JsonValueKind.String
            ? typeElement.GetString()
            : "json";
        message.TryGetProperty("data", out var data);
        return dataType switch
        {
            "json" => new RelayData(DataType.Json, data.ValueKind == JsonValueKind.Undefined ? "null"u8.ToArray() : Encoding.UTF8.GetBytes(data.GetRawText())),
            "text" when data.ValueKind == JsonValueKind.String => new RelayData(DataType.Text, Encoding.UTF8.GetBytes(data.GetString()!)),
            "binary" when data.ValueKind == JsonValueKind.String => new RelayData(DataType.Binary, data.GetBytesFromBase64()),
            _ => null,
        };
    }

    private CloseRequest Invalid(string reason)
    {
        log.ProtocolViolation(reason);
        return new CloseRequest(WebSocketCloseStatus.InvalidPayloadData, reason, Drain: false);
    }
}

/// <summary>An ack's error: the name the client sees and a sentence for people.</summary>
internal sealed record AckError(string Name, string Message)
{
    public static AckError Forbidden(string message) => new("Forbidden", message);

    public static AckError BadRequest(string message) => new("BadRequest", message);
}
