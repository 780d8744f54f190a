using System.Text.Json;
using System.Text.Json.Nodes;
using BotSociety.DevHost.Tests.EndToEnd;

namespace BotSociety.ScaleOut.Tests;

/// <summary>
/// The built functions app as a script root of its own: a link to every file of functions/bin/Release/net10.0 but
/// host.json, which is the app's with <c>extensions.queues</c> made quicker for a test of a few minutes.
/// <para>
/// Why: the extension's defaults (batchSize 16, newBatchThreshold 16 on two cores, maxPollingInterval 1 minute) let the
/// devhost that fills the queue, woken by its own writes, take every batch at once while the other polled an empty
/// queue once a minute: measured with 200 bots at the fast pace, the second instance ran no batch in two minutes. The
/// app's host.json therefore takes two batches at a time and polls every 2 s. Here each instance runs one batch at a
/// time (batchSize 1, newBatchThreshold 0) and polls at the shortest interval devhost allows (100 ms, where its backoff
/// starts, as the host's), so a tick's four batches outlast the doorbell's head start and the other instance's next
/// poll finds some of them. With two batches at a time the filling devhost ran a tick's batches in about 150 ms, and the
/// other's share, 12 % in one run, missed the 15 %; with one at a time but a quarter-second poll, once the apply path
/// got faster (about 40 ms a batch on PostgreSQL), the other's share was 13 % in one loaded run.
/// </para>
/// </summary>
internal sealed class QueueTunedApp : IDisposable
{
    public const int BatchSize = 1;
    public const int NewBatchThreshold = 0;
    public const string MaxPollingInterval = "00:00:00.100";

    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("botsociety-scale-out-app-");

    public QueueTunedApp()
    {
        BuiltArtefacts.EnsureBuilt();
        foreach (var entry in new DirectoryInfo(BuiltArtefacts.FunctionsApp).EnumerateFileSystemInfos())
        {
            // local.settings.json too stays behind: the devhosts are given the test's settings file.
            if (entry.Name is not ("host.json" or "local.settings.json"))
            {
                File.CreateSymbolicLink(Path.Combine(folder.FullName, entry.Name), entry.FullName);
            }
        }

        var hostJson = JsonNode.Parse(File.ReadAllText(Path.Combine(BuiltArtefacts.FunctionsApp, "host.json")))!.AsObject();
        var extensions = hostJson["extensions"] as JsonObject ?? [];
        hostJson["extensions"] = extensions;
        extensions["queues"] = new JsonObject
        {
            ["batchSize"] = BatchSize,
            ["newBatchThreshold"] = NewBatchThreshold,
            ["maxPollingInterval"] = MaxPollingInterval,
        };
        File.WriteAllText(HostJsonPath, hostJson.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public string ScriptRoot => folder.FullName;

    public string HostJsonPath => Path.Combine(folder.FullName, "host.json");

    public void Dispose()
    {
        try
        {
            // The links one by one (a link to a folder is removed as a file), never what they point at.
            foreach (var entry in folder.EnumerateFileSystemInfos())
            {
                if (entry.LinkTarget is not null)
                {
                    File.Delete(entry.FullName);
                }
            }

            folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans temporary folders.
        }
    }
}
