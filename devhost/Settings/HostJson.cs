using System.Text.Json;
using BotSociety.DevHost.Queues;

namespace BotSociety.DevHost.Settings;

/// <summary>The parts of the app's host.json devhost honours: the HTTP route prefix, the log levels and the queue settings.</summary>
internal sealed record HostJson(string RoutePrefix, IReadOnlyDictionary<string, LogLevel> LogLevels)
{
    public const string DefaultRoutePrefix = "api";
    private const string DefaultCategory = "default";

    public static HostJson Default { get; } = new(DefaultRoutePrefix, new Dictionary<string, LogLevel>());

    /// <summary><c>extensions.queues</c>: polling, batches, retries and poison messages of queue triggers, and the message encoding.</summary>
    public QueuesOptions Queues { get; init; } = QueuesOptions.Default;

    /// <summary>
    /// The least level shown for a worker log of <paramref name="category"/>: the longest matching prefix in
    /// <c>logging.logLevel</c>, else its <c>default</c>, else Information, the way ASP.NET Core picks a filter rule.
    /// </summary>
    public LogLevel MinimumLevel(string category)
    {
        var best = LogLevels.TryGetValue(DefaultCategory, out var fallback) ? fallback : LogLevel.Information;
        var bestLength = -1;
        foreach (var (prefix, level) in LogLevels)
        {
            var matches = category.Equals(prefix, StringComparison.OrdinalIgnoreCase)
                || (category.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && category.Length > prefix.Length && category[prefix.Length] == '.');
            if (matches && prefix.Length > bestLength)
            {
                best = level;
                bestLength = prefix.Length;
            }
        }

        return best;
    }

    /// <summary>Reads <c>extensions.http.routePrefix</c> as the worker's own endpoint table does, so both agree on every route.</summary>
    public static HostJson Load(string scriptRoot)
    {
        var path = Path.Combine(scriptRoot, "host.json");
        if (!File.Exists(path))
        {
            return Default;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
            });
            var prefix = Find(document.RootElement, "extensions", "http", "routePrefix");
            var levels = new Dictionary<string, LogLevel>(StringComparer.OrdinalIgnoreCase);
            if (Find(document.RootElement, "logging", "logLevel") is { ValueKind: JsonValueKind.Object } section)
            {
                foreach (var rule in section.EnumerateObject())
                {
                    levels[rule.Name] = rule.Value.ValueKind == JsonValueKind.String && Enum.TryParse<LogLevel>(rule.Value.GetString(), ignoreCase: true, out var level)
                        ? level
                        : throw new DevHostStartupException($"'{path}': logging.logLevel.{rule.Name} is not a log level (Trace, Debug, Information, Warning, Error, Critical, None)");
                }
            }

            return new HostJson(prefix is { ValueKind: JsonValueKind.String } ? prefix.Value.GetString()!.Trim('/') : DefaultRoutePrefix, levels)
            {
                Queues = QueuesOptions.Read(Find(document.RootElement, "extensions", "queues"), path),
            };
        }
        catch (JsonException e)
        {
            throw new DevHostStartupException($"'{path}' is not valid JSON: {e.Message}");
        }
    }

    // host.json property names are case-insensitive for the host, so they are here.
    private static JsonElement? Find(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            JsonElement? found = null;
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    found = property.Value;
                }
            }

            if (found is null)
            {
                return null;
            }

            element = found.Value;
        }

        return element;
    }
}
