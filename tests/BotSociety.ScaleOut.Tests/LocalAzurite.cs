using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using BotSociety.DevHost.Tests.EndToEnd;

namespace BotSociety.ScaleOut.Tests;

/// <summary>
/// Azurite (tools/azurite) as a child process on free loopback ports, in memory, as the devhost suite's Azurite fixture
/// starts it (installing the npm package first when tools/azurite/node_modules is missing), but waiting up to two
/// minutes for it to listen: on this 2-core machine with other suites running beside it, Node has been measured taking
/// 43 s to start (2 s of CPU), past the fixture's 30 s.
/// </summary>
internal sealed partial class LocalAzurite : IDisposable
{
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly ConcurrentQueue<string> output = new();
    private Process? process;

    /// <summary>A full connection string, as a user would put in AzureWebJobsStorage for an Azurite on other ports.</summary>
    public string ConnectionString { get; private set; } = "";

    public string Output => string.Join('\n', output);

    public QueueServiceClient Queues => new(ConnectionString);

    public async Task StartAsync()
    {
        var binary = await EnsureInstalledAsync();
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
        int? blob = null, queue = null;
        while (blob is null || queue is null)
        {
            if (process.HasExited || waited.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException(
                    $"Azurite did not start listening within {StartTimeout.TotalSeconds} s (exited: {process.HasExited}):\n{Output}");
            }

            await Task.Delay(100);
            blob = Port("Blob");
            queue = Port("Queue");
        }

        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/{AccountName};QueueEndpoint=http://127.0.0.1:{queue}/{AccountName};";
        while (true)
        {
            try
            {
                await Queues.GetPropertiesAsync();
                return;
            }
            catch (Exception e) when (e is Azure.RequestFailedException or AggregateException && waited.Elapsed < StartTimeout)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Kills the Azurite this started, and nothing else.</summary>
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

    private int? Port(string service) =>
        output.Select(l => Listening().Match(l)).FirstOrDefault(m => m.Success && m.Groups["service"].Value == service) is { } match
            ? int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture)
            : null;

    private void Collect(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    private static async Task<string> EnsureInstalledAsync()
    {
        var folder = Path.Combine(BuiltArtefacts.RepoRoot, "tools", "azurite");
        var binary = Path.Combine(folder, "node_modules", ".bin", "azurite");
        if (File.Exists(binary))
        {
            return binary;
        }

        using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--prefix", folder, "--ignore-scripts", "--no-audit", "--no-fund"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("npm did not start");
        var log = npm.StandardError.ReadToEndAsync();
        await npm.StandardOutput.ReadToEndAsync();
        await npm.WaitForExitAsync();
        return npm.ExitCode == 0 && File.Exists(binary)
            ? binary
            : throw new InvalidOperationException($"`npm ci --prefix tools/azurite` failed ({npm.ExitCode}): {await log}");
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue) service is successfully listening at http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex Listening();
}
