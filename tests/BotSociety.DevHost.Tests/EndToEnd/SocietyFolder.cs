using System.Text.Json;

namespace BotSociety.DevHost.Tests.EndToEnd;

/// <summary>
/// A temp folder with a fresh SQLite file and a local.settings.json whose timers almost never fire (Jan 1st,
/// midnight), so each test drives the ticks itself through the admin API.
/// </summary>
internal sealed class SocietyFolder : IDisposable
{
    public const string Rarely = "0 0 0 1 1 *";

    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("devhost-e2e-");

    public SocietyFolder(string heartbeatSchedule = Rarely, IReadOnlyDictionary<string, string>? extraValues = null)
    {
        var values = new Dictionary<string, string>
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["Database__Path"] = DatabasePath,
            ["HeartbeatSchedule"] = heartbeatSchedule,
            ["CompressMemorySchedule"] = Rarely,
        };
        foreach (var (name, value) in extraValues ?? new Dictionary<string, string>())
        {
            values[name] = value;
        }

        File.WriteAllText(SettingsPath, JsonSerializer.Serialize(new { IsEncrypted = false, Values = values }));
    }

    public string Path => folder.FullName;

    public string SettingsPath => System.IO.Path.Combine(folder.FullName, "local.settings.json");

    public string DatabasePath => System.IO.Path.Combine(folder.FullName, "society.db");

    public void Dispose()
    {
        try
        {
            folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A worker killed a moment ago may still hold the database; the OS cleans temp folders.
        }
    }
}
