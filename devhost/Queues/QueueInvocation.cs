using System.Text.Json;
using Azure.Storage.Queues.Models;
using BotSociety.DevHost.Rpc;
using BotSociety.DevHost.Worker;
using Google.Protobuf;

namespace BotSociety.DevHost.Queues;

/// <summary>
/// The InvocationRequest for one queue message, as the host builds it: the message as the trigger's input, and the
/// binding data of QueueTriggerBinding in <c>trigger_metadata</c>. The host turns each value into TypedData with
/// its usual conversion: strings as strings, the dequeue count and the times as JSON.
/// </summary>
internal static class QueueInvocation
{
    public static InvocationRequest Create(QueueTriggerDefinition trigger, QueueMessage message, byte[] body, DateTimeOffset now)
    {
        var text = QueueMessageCodec.AsText(body);
        var request = new InvocationRequest { InvocationId = Guid.NewGuid().ToString(), TraceContext = TraceContexts.NewRoot() };
        request.InputData.Add(new ParameterBinding
        {
            Name = trigger.BindingName,
            Data = text is null ? new TypedData { Bytes = ByteString.CopyFrom(body) } : new TypedData { String = text },
        });

        var metadata = request.TriggerMetadata;
        if (text is not null)
        {
            // Left out for a body that is not text, as the host does.
            metadata["QueueTrigger"] = new TypedData { String = text };
        }

        metadata["DequeueCount"] = Json(message.DequeueCount);
        metadata["ExpirationTime"] = Json(message.ExpiresOn ?? DateTimeOffset.MaxValue);
        metadata["Id"] = new TypedData { String = message.MessageId };
        metadata["InsertionTime"] = Json(message.InsertedOn ?? now);
        metadata["NextVisibleTime"] = Json(message.NextVisibleOn ?? DateTimeOffset.MaxValue);
        metadata["PopReceipt"] = new TypedData { String = message.PopReceipt };
        return request;
    }

    private static TypedData Json<T>(T value) => new() { Json = JsonSerializer.Serialize(value) };
}
