using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotSociety.Core.Data;

/// <summary>The one JSON shape of the society: snake_case names, as the plan's contract has them.</summary>
public static class SocietyJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        // Bot text is shown as text; escaping apostrophes into \u0027 only makes logs harder to read.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
