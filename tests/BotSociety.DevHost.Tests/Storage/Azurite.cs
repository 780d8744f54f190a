using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using BotSociety.DevHost.Tests.EndToEnd;

namespace BotSociety.DevHost.Tests.Storage;

/// <summary>
/// A real Azurite (tools/azurite) as a child process on free loopback ports, in memory, for one test class (the
/// scale-out suite starts one too): it starts in about a second on a quiet machine, and killing it leaves nothing
/// behind. Installs the npm package first if tools/azurite/node_modules is missing (./test.sh installs it too).
/// </summary>
public sealed partial class Azurite : IAsyncLifetime, IDisposable
{
    /// <summary>Azurite's well-known development account (the same for every Azurite).</summary>
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>
    /// How long Node may take to start it: on two cores with other suites running beside it, Node has been measured
    /// taking 43 s (2 s of CPU), past the 30 s this waited before.
    /// </summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private static readonly SemaphoreSlim Installing = new(1, 1);

    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource<(int Blob, int Queue)> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? process;

    /// <summary>A full connection string, as a user would put in AzureWebJobsStorage for an Azurite on other ports.</summary>
    public string ConnectionString { get; private set; } = "";

    public QueueServiceClient Queues => new(ConnectionString);

    public BlobServiceClient Blobs => new(ConnectionString);

    /// <summary>What Azurite printed, for failure messages.</summary>
    public string Output => string.Join('\n', output);

    public async Task InitializeAsync()
    {
        var binary = await EnsureInstalledAsync();
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Port 0: Azurite binds free ports and says which; --inMemoryPersistence: nothing on disk to clean up.
        foreach (var argument in (string[])[
            "--inMemoryPersistence", "--skipApiVersionCheck", "--silent", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", "0", "--queueHost", "127.0.0.1", "--queuePort", "0",
            "--tableHost", "127.0.0.1", "--tablePort", "0"])
        {
            info.ArgumentList.Add(argument);
        }

        process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var waited = Stopwatch.StartNew();
        var first = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(StartTimeout));
        if (first != listening.Task)
        {
            throw new InvalidOperationException(
                $"Azurite did not start listening within {StartTimeout.TotalSeconds} s (exited: {process.HasExited}):\n{Output}");
        }

        var (blob, queue) = await listening.Task;
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/{AccountName};QueueEndpoint=http://127.0.0.1:{queue}/{AccountName};";
        await WaitUntilAnsweringAsync(waited);
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Kills the Azurite this fixture started, and nothing else.</summary>
    public void Dispose()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process?.Dispose();
        process = null;
    }

    /// <summary>A queue name no other test of the class uses.</summary>
    public static string NewQueueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];

    private async Task WaitUntilAnsweringAsync(Stopwatch waited)
    {
        while (true)
        {
            try
            {
                await Queues.GetPropertiesAsync();
                await Blobs.GetPropertiesAsync();
                return;
            }
            catch (Exception e) when (e is Azure.RequestFailedException or AggregateException && waited.Elapsed < StartTimeout)
            {
                await Task.Delay(100);
            }
        }
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        var blob = Listening().Matches(string.Join('\n', output)).FirstOrDefault(m => m.Groups["service"].Value == "Blob");
        var queue = Listening().Matches(string.Join('\n', output)).FirstOrDefault(m => m.Groups["service"].Value == "Queue");
        if (blob is not null && queue is not null)
        {
            listening.TrySetResult((int.Parse(blob.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(queue.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    private static async Task<string> EnsureInstalledAsync()
    {
        var folder = Path.Combine(BuiltArtefacts.RepoRoot, "tools", "azurite");
        var binary = Path.Combine(folder, "node_modules", ".bin", "azurite");
        await Installing.WaitAsync();
        try
        {
            if (!File.Exists(binary))
            {
                using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--prefix", folder, "--ignore-scripts", "--no-audit", "--no-fund"])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                }) ?? throw new InvalidOperationException("npm did not start");
                var log = npm.StandardError.ReadToEndAsync();
                await npm.StandardOutput.ReadToEndAsync();
                await npm.WaitForExitAsync();
                if (npm.ExitCode != 0 || !File.Exists(binary))
                {
                    throw new InvalidOperationException($"`npm ci --prefix tools/azurite` failed ({npm.ExitCode}): {await log}");
                }
            }

            return binary;
        }
        finally
        {
            Installing.Release();
        }
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue) service is successfully listening at http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex Listening();
}
