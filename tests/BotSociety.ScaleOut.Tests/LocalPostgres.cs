using System.Diagnostics;
using BotSociety.DevHost.Tests.EndToEnd;

namespace BotSociety.ScaleOut.Tests;

/// <summary>
/// A throwaway PostgreSQL 15 from tools/postgres/pg.sh in a temporary folder (fsync off: <c>--fast</c>), with one
/// database for the society. Stopped and removed by <see cref="DisposeAsync"/>.
/// </summary>
internal sealed class LocalPostgres : IAsyncDisposable
{
    private const string DatabaseName = "society";

    private readonly DirectoryInfo folder;
    private bool started;

    private LocalPostgres(DirectoryInfo folder) => this.folder = folder;

    /// <summary>The Npgsql connection string of the society's database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>What pg.sh printed, and the server's log, for failure messages.</summary>
    public string Output { get; private set; } = "";

    private string DataFolder => Path.Combine(folder.FullName, "data");

    private static string Script => Path.Combine(BuiltArtefacts.RepoRoot, "tools", "postgres", "pg.sh");

    public static async Task<LocalPostgres> StartAsync()
    {
        var postgres = new LocalPostgres(Directory.CreateTempSubdirectory("botsociety-scale-out-pg-"));

        // Run as root, pg.sh runs the server as the postgres user, which has to enter the folder.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(postgres.folder.FullName, (UnixFileMode)0b111_101_101);
        }

        var (code, stdout, stderr) = await RunAsync("start", postgres.DataFolder, "--database", DatabaseName, "--fast");
        postgres.Output = $"pg.sh start exited with {code}\n{stdout}\n{stderr}";
        if (code != 0)
        {
            await postgres.DisposeAsync();
            throw new InvalidOperationException($"PostgreSQL did not start (tools/postgres/pg.sh check says what is missing):\n{postgres.Output}");
        }

        postgres.started = true;
        postgres.ConnectionString = stdout.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("CONNECTION=", StringComparison.Ordinal))["CONNECTION=".Length..];
        return postgres;
    }

    /// <summary>The end of the server's own log.</summary>
    public string LogTail()
    {
        var log = Path.Combine(DataFolder, "postgres.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(40)) : "(no postgres.log)";
    }

    public async ValueTask DisposeAsync()
    {
        if (started)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await RunAsync("stop", DataFolder);
            started = false;
        }

        try
        {
            folder.Delete(recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The OS cleans temporary folders; a failed removal must not hide the test's own result.
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo(Script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("pg.sh did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, await stdout, await stderr + "\n(pg.sh did not finish within 2 minutes and was killed)");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
