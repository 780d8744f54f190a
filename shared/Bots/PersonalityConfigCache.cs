using System.Collections.Concurrent;
using System.Text.Json;
using BotSociety.Core.Data;

namespace BotSociety.Core.Bots;

/// <summary>
/// Parsed bot configs by their stored JSON text. Every tick reads its due bots twice (the feed and the tick's state), and
/// parsing each config again cost more than the queries; the text is the key, so an edited config is a new entry and
/// nothing needs invalidating, on this instance or any other sharing the database. Configs are immutable records, so
/// bots with the same text may share one.
/// </summary>
internal static class PersonalityConfigCache
{
    // Well above the largest society run (10,000 bots, each with its own config); past it the cache starts over
    // rather than growing with every edit a long-lived process sees.
    private const int MaxEntries = 50_000;

    private static readonly ConcurrentDictionary<string, PersonalityConfig> Parsed = new(StringComparer.Ordinal);

    public static PersonalityConfig Parse(string json)
    {
        if (Parsed.TryGetValue(json, out var config))
        {
            return config;
        }

        if (Parsed.Count >= MaxEntries)
        {
            Parsed.Clear();
        }

        config = JsonSerializer.Deserialize<PersonalityConfig>(json, SocietyJson.Options)!;
        Parsed.TryAdd(json, config);
        return config;
    }
}
