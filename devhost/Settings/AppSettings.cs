using System.Text.Json;

namespace BotSociety.DevHost.Settings;

/// <summary>
/// The app settings as <c>func start</c> sees them: the process environment, then the <c>Values</c> of
/// local.settings.json (an exported variable wins). The worker gets every value as an environment variable;
/// <c>%Setting%</c> schedules resolve here.
/// </summary>
internal sealed class AppSettings(IReadOnlyDictionary<string, string> values)
{
    private const string ValuesSection = "Values";
    private readonly Dictionary<string, string> workerOverrides = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, string> Values { get; } = values;

    /// <summary>Settings devhost itself decides for the worker (the mounted relay's address); they win over everything.</summary>
    public IReadOnlyDictionary<string, string> WorkerOverrides => workerOverrides;

    public string? this[string name] =>
        workerOverrides.TryGetValue(name, out var decided) ? decided
        : Environment.GetEnvironmentVariable(name) ?? (Values.TryGetValue(name, out var value) ? value : null);

    /// <summary>Called while devhost is composed, before any worker starts.</summary>
    public void OverrideForWorker(string name, string value) => workerOverrides[name] = value;

    /// <summary>
    /// Reads <paramref name="path"/>. A missing file means no Values, unless the user named it explicitly:
    /// then a typo in the path would silently run the worker without its settings.
    /// </summary>
    public static AppSettings Load(string path, bool mustExist)
    {
        if (!File.Exists(path))
        {
            return mustExist
                ? throw new DevHostStartupException($"the settings file '{path}' given with --settings does not exist")
                : new AppSettings(new Dictionary<string, string>());
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
            });
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(ValuesSection, out var section)
                && section.ValueKind == JsonValueKind.Object)
            {
                foreach (var setting in section.EnumerateObject())
                {
                    values[setting.Name] = setting.Value.ValueKind switch
                    {
                        JsonValueKind.String => setting.Value.GetString()!,
                        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => setting.Value.GetRawText(),
                        JsonValueKind.Null => "",
                        _ => throw new DevHostStartupException(
                            $"'{path}': Values.{setting.Name} must be a string, number or boolean, not {setting.Value.ValueKind}"),
                    };
                }
            }

            return new AppSettings(values);
        }
        catch (JsonException e)
        {
            throw new DevHostStartupException($"'{path}' is not valid JSON: {e.Message}");
        }
        catch (IOException e)
        {
            throw new DevHostStartupException($"'{path}' cannot be read: {e.Message}");
        }
    }
}
