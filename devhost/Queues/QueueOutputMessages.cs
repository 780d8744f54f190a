using System.Globalization;
using System.Text;
using System.Text.Json;
using BotSociety.DevHost.Rpc;

namespace BotSociety.DevHost.Queues;

/// <summary>
/// The messages an output binding's value makes, as the host's script bindings add them to a queue collector
/// (FunctionBinding.ReadAsEnumerable and BindAsyncCollectorAsync): a collection or JSON array is one message per
/// item, an empty one is none; a JSON object is one message; text is one message; nothing is no message.
/// </summary>
internal static class QueueOutputMessages
{
    /// <exception cref="NotSupportedException">The value is not something a queue message can be made of (an HTTP response).</exception>
    public static IReadOnlyList<byte[]> From(TypedData? value)
    {
        if (value is null)
        {
            return [];
        }

        return value.DataCase switch
        {
            TypedData.DataOneofCase.None => [],
            TypedData.DataOneofCase.String => FromText(value.String),
            TypedData.DataOneofCase.Json => FromJson(value.Json),
            TypedData.DataOneofCase.Bytes => [value.Bytes.ToByteArray()],
            TypedData.DataOneofCase.Int => [Utf8(value.Int.ToString(CultureInfo.InvariantCulture))],
            TypedData.DataOneofCase.Double => [Utf8(value.Double.ToString(CultureInfo.InvariantCulture))],
            TypedData.DataOneofCase.CollectionString => [.. value.CollectionString.String.Select(Utf8)],
            TypedData.DataOneofCase.CollectionBytes => [.. value.CollectionBytes.Bytes.Select(b => b.ToByteArray())],
            TypedData.DataOneofCase.CollectionDouble => [.. value.CollectionDouble.Double.Select(d => Utf8(d.ToString(CultureInfo.InvariantCulture)))],
            TypedData.DataOneofCase.CollectionSint64 => [.. value.CollectionSint64.Sint64.Select(i => Utf8(i.ToString(CultureInfo.InvariantCulture)))],
            _ => throw new NotSupportedException($"a {value.DataCase} value cannot be written to a queue"),
        };
    }

    // Text that is JSON is read as JSON (Utility.IsJson in the host), so a returned JSON array string fans out too.
    private static List<byte[]> FromText(string text)
    {
        var trimmed = text.AsSpan().Trim();
        var looksLikeJson = (trimmed.StartsWith("{") && trimmed.EndsWith("}")) || (trimmed.StartsWith("[") && trimmed.EndsWith("]"));
        if (looksLikeJson)
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.ValueKind == JsonValueKind.Array ? Items(document.RootElement) : [Utf8(text)];
            }
            catch (JsonException)
            {
                // Not JSON after all: one message with the text.
            }
        }

        return [Utf8(text)];
    }

    private static List<byte[]> FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return root.ValueKind switch
        {
            JsonValueKind.Array => Items(root),
            JsonValueKind.Null or JsonValueKind.Undefined => [],
            _ => [Item(root)],
        };
    }

    private static List<byte[]> Items(JsonElement array) => [.. array.EnumerateArray().Where(i => i.ValueKind != JsonValueKind.Null).Select(Item)];

    // A string item is its text; anything else is its JSON.
    private static byte[] Item(JsonElement item) => Utf8(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
