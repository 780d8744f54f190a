using System.Text.Json;
using BotSociety.DevHost.Settings;

namespace BotSociety.DevHost.Worker;

/// <summary>The worker.config.json the Functions SDK writes beside the app: which executable runs which assembly.</summary>
internal sealed record WorkerConfig(string Executable, string WorkerPath)
{
    public static WorkerConfig Load(string scriptRoot)
    {
        var path = Path.Combine(scriptRoot, "worker.config.json");
        if (!File.Exists(path))
        {
            throw new DevHostStartupException(
                $"'{scriptRoot}' holds no worker.config.json: point --script-root at the built functions app (run `dotnet build -c Release` first)");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var description = document.RootElement.GetProperty("description");
            var executable = description.TryGetProperty("defaultExecutablePath", out var e) ? e.GetString() : null;
            var worker = description.TryGetProperty("defaultWorkerPath", out var w) ? w.GetString() : null;
            if (string.IsNullOrWhiteSpace(worker))
            {
                throw new DevHostStartupException($"'{path}' names no description.defaultWorkerPath");
            }

            return new WorkerConfig(string.IsNullOrWhiteSpace(executable) ? "dotnet" : executable, Path.GetFullPath(worker, scriptRoot));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new DevHostStartupException($"'{path}' is not a worker config: {e.Message}");
        }
    }
}
