using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace BotSociety.DevHost.Tests.EndToEnd;

/// <summary>devhost as a real child process on a free port, with its console captured for assertions and failure messages.</summary>
internal sealed partial class DevHostProcess : IAsyncDisposable
{
    public const string ReadyLinePrefix = "devhost: worker ready with ";
    private const string WorkerHostStarted = "Application started.";

    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DevHostProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
    }

    public int Port { get; }

    public int Pid => process.Id;

    public HttpClient Http { get; }

    public string Output => string.Join('\n', lines);

    public static DevHostProcess Start(string? settingsPath, string? scriptRoot = null, params string[] extraArguments) =>
        StartOnPort(FreePort(), settingsPath, scriptRoot, extraArguments);

    /// <summary>
    /// Starts devhost on <paramref name="port"/>, for settings that must name devhost's own address (a relay
    /// mounted on devhost: <c>Realtime__ConnectionString</c> with <c>Port=</c> this port). Take it from <see cref="FreePort"/>.
    /// </summary>
    public static DevHostProcess StartOnPort(int port, string? settingsPath, string? scriptRoot = null, params string[] extraArguments)
    {
        BuiltArtefacts.EnsureBuilt();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(BuiltArtefacts.DevHostDll);
        foreach (var argument in (string[])["--script-root", scriptRoot ?? BuiltArtefacts.FunctionsApp, "--port", port.ToString(CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(argument);
        }

        if (settingsPath is not null)
        {
            info.ArgumentList.Add("--settings");
            info.ArgumentList.Add(settingsPath);
        }

        foreach (var argument in extraArguments)
        {
            info.ArgumentList.Add(argument);
        }

        var devHost = new DevHostProcess(new Process { StartInfo = info, EnableRaisingEvents = true }, port);
        devHost.process.Start();
        devHost.process.BeginOutputReadLine();
        devHost.process.BeginErrorReadLine();
        return devHost;
    }

    /// <summary>
    /// Waits for devhost's ready line, then for the app itself: the worker finishes its handshake (and takes
    /// invocations) before its own host has started, so its database initializer may still be running. The
    /// worker's "Application started" line (Microsoft.Hosting.Lifetime) says every hosted service has started.
    /// </summary>
    public async Task WaitUntilHealthyAsync()
    {
        await WaitUntilReadyAsync();
        var waited = Stopwatch.StartNew();
        while (CountLines(WorkerHostStarted) < CountLines("Worker started (pid"))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"The worker's host did not log '{WorkerHostStarted}' within 60 s:\n{Output}");
            await Task.Delay(100);
        }

        while (true)
        {
            using var health = await Http.GetAsync(new Uri("/api/health", UriKind.Relative));
            if (health.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"/api/health still answers {health.StatusCode} after 60 s:\n{Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits for devhost's ready line; fails with everything it printed if it exits or stays silent.</summary>
    public async Task WaitUntilReadyAsync()
    {
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(90)));
        if (first != ready.Task)
        {
            Assert.Fail(first == exited
                ? $"devhost exited with code {process.ExitCode} before it was ready:\n{Output}"
                : $"devhost was not ready within 90 s:\n{Output}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancellation.Token);
        return process.ExitCode;
    }

    /// <summary>The pid of the worker devhost started last, from its "Worker started (pid N)" line.</summary>
    public int LatestWorkerPid()
    {
        var pids = lines.Select(l => WorkerStarted().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.True(pids.Count > 0, $"devhost logged no worker start:\n{Output}");
        return pids[^1];
    }

    public int CountLines(string text) => lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Waits for a line containing <paramref name="text"/>: devhost's console is written asynchronously.</summary>
    public Task WaitForLineAsync(string text) => WaitForLineAsync(text, TimeSpan.FromSeconds(10));

    /// <summary>Waits up to <paramref name="timeout"/> for a line containing <paramref name="text"/>.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (CountLines(text) == 0)
        {
            Assert.True(waited.Elapsed < timeout, $"devhost printed no line with '{text}' within {timeout.TotalSeconds} s:\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>Kills devhost alone with SIGKILL: no shutdown code of its own runs.</summary>
    public void KillHard() => process.Kill(entireProcessTree: false);

    /// <summary>Asks devhost to stop as Ctrl+C or `docker stop` would (SIGTERM).</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>The children of <paramref name="pid"/>, from /proc (Linux).</summary>
    public static IReadOnlyList<int> ChildrenOf(int pid) =>
        [.. Directory.EnumerateDirectories($"/proc/{pid}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(child => int.Parse(child, CultureInfo.InvariantCulture))];

    /// <summary>True while the process exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }

    public static string CommandLineOf(int pid) => File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        Http.Dispose();
        process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        if (line.StartsWith(ReadyLinePrefix, StringComparison.Ordinal))
        {
            ready.TrySetResult();
        }
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Worker started \(pid (?<pid>\d+)\)")]
    private static partial Regex WorkerStarted();
}
