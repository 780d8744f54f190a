using System.Net;
using System.Net.Sockets;
using BotSociety.DevHost.Tests.EndToEnd;

namespace BotSociety.Functions.Tests;

/// <summary>
/// What an operator sees when the app cannot start (its database unreachable, a bad persona file, setting or data
/// folder): one line naming the setting or file and the cause, and no stack trace.
/// </summary>
public sealed class DatabaseStartupTests
{
    [Fact]
    public async Task UnreachablePostgresStopsTheAppWithOneLineNamingTheSetting()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var folder = new SocietyFolder(extraValues: new Dictionary<string, string>
        {
            ["Database__Provider"] = "postgres",
            ["Database__ConnectionString"] = $"Host=127.0.0.1;Port={port};Database=society;Username=bots;Password=not-shown;Timeout=5",
        });
        await using var devHost = DevHostProcess.Start(folder.SettingsPath);

        Assert.Equal(1, await devHost.WaitForExitAsync(TimeSpan.FromSeconds(90)));

        var error = Assert.Single(devHost.Output.Split('\n'), l => l.StartsWith("devhost: ", StringComparison.Ordinal));
        Assert.Contains($"BotSociety cannot start: Database:ConnectionString: cannot use PostgreSQL at 127.0.0.1:{port}, database 'society'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-shown", devHost.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", devHost.Output, StringComparison.Ordinal);
    }

    public enum Refusal
    {
        BrokenPersonaYaml,
        FolderThatCannotBeMade,
        FileThatIsNotSqlite,
        SettingOutOfRange,
    }

    [Theory]
    [InlineData(Refusal.BrokenPersonaYaml)]
    [InlineData(Refusal.FolderThatCannotBeMade)]
    [InlineData(Refusal.FileThatIsNotSqlite)]
    [InlineData(Refusal.SettingOutOfRange)]
    public async Task AnAppThatCannotStartSaysWhyInOneLine(Refusal refusal)
    {
        var scratch = Directory.CreateTempSubdirectory("botsociety-refusal-");
        try
        {
            var (values, expected) = Arrange(refusal, scratch.FullName);
            using var folder = new SocietyFolder(extraValues: values);
            if (refusal == Refusal.FileThatIsNotSqlite)
            {
                await File.WriteAllTextAsync(folder.DatabasePath, "these are notes, not a database\n" + new string('x', 4096));
            }

            await using var devHost = DevHostProcess.Start(folder.SettingsPath);

            Assert.Equal(1, await devHost.WaitForExitAsync(TimeSpan.FromSeconds(90)));
            var error = Assert.Single(devHost.Output.Split('\n'), l => l.StartsWith("devhost: ", StringComparison.Ordinal));
            Assert.Contains("BotSociety cannot start: " + expected.Replace("{db}", folder.DatabasePath, StringComparison.Ordinal), error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", devHost.Output, StringComparison.Ordinal);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static (Dictionary<string, string> Values, string Expected) Arrange(Refusal refusal, string scratch)
    {
        switch (refusal)
        {
            case Refusal.BrokenPersonaYaml:
                var personas = Directory.CreateDirectory(Path.Combine(scratch, "personas")).FullName;
                foreach (var persona in Directory.GetFiles(Path.Combine(BuiltArtefacts.FunctionsApp, "personas"), "*.yaml"))
                {
                    File.Copy(persona, Path.Combine(personas, Path.GetFileName(persona)));
                }

                var broken = Path.Combine(personas, "ada.yaml");
                var lines = File.ReadAllLines(broken);
                lines[2] = "  bio: [unclosed";
                File.WriteAllLines(broken, lines);
                return (new() { ["Society__PersonasDirectory"] = personas }, $"{broken}: ");
            case Refusal.FolderThatCannotBeMade:
                // A file where the data folder should be: no user, root included, can make a folder inside it.
                var file = Path.Combine(scratch, "data");
                File.WriteAllText(file, "a file, not a folder");
                return (new() { ["Database__Path"] = Path.Combine(file, "society.db") }, $"Database:Path: cannot make the folder '{file}' for the SQLite file: ");
            case Refusal.FileThatIsNotSqlite:
                return ([], "Database:Path: cannot open the SQLite file '{db}': it is not a SQLite database");
            default:
                return (new() { ["Society__QueueBatchSize"] = "0" }, "Society:QueueBatchSize must be between 1 and 1000");
        }
    }
}
