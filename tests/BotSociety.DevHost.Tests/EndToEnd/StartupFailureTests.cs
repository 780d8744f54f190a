namespace BotSociety.DevHost.Tests.EndToEnd;

/// <summary>What keeps devhost from starting is said in one line on stderr, with a non-zero exit code.</summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task InvalidScheduleStopsDevHostNamingFunctionAndSetting()
    {
        using var folder = new SocietyFolder(heartbeatSchedule: "every ten seconds");
        await using var devHost = DevHostProcess.Start(folder.SettingsPath);

        Assert.Equal(1, await devHost.WaitForExitAsync(TimeSpan.FromSeconds(90)));

        var error = Assert.Single(devHost.Output.Split('\n'), l => l.StartsWith("devhost: ", StringComparison.Ordinal));
        Assert.Contains("'Heartbeat'", error, StringComparison.Ordinal);
        Assert.Contains("'HeartbeatSchedule'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongAppSettingStopsTheWorkerNamingItAndTouchesNoDatabase()
    {
        using var folder = new SocietyFolder(extraValues: new Dictionary<string, string> { ["Usage__DefaultDailyTokenCap"] = "-5" });
        await using var devHost = DevHostProcess.Start(folder.SettingsPath);

        Assert.Equal(1, await devHost.WaitForExitAsync(TimeSpan.FromSeconds(90)));

        var error = Assert.Single(devHost.Output.Split('\n'), l => l.StartsWith("devhost: ", StringComparison.Ordinal));
        Assert.Contains("Usage:DefaultDailyTokenCap", error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.DatabasePath), "a wrong setting stops start before the database is created");
    }

    [Fact]
    public async Task WorkerThatExitsAtOnceIsReportedInOneLineWithItsLastOutput()
    {
        using var folder = new SocietyFolder();
        File.WriteAllText(Path.Combine(folder.Path, "worker.config.json"),
            """{ "description": { "language": "dotnet-isolated", "defaultExecutablePath": "dotnet", "defaultWorkerPath": "NoSuchApp.dll" } }""");
        await using var devHost = DevHostProcess.Start(folder.SettingsPath, scriptRoot: folder.Path);

        Assert.Equal(1, await devHost.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var error = Assert.Single(devHost.Output.Split('\n'), l => l.StartsWith("devhost: ", StringComparison.Ordinal));
        Assert.Contains("the worker failed to start: it exited with code", error, StringComparison.Ordinal);
        Assert.Contains("last output:", error, StringComparison.Ordinal);
        Assert.Contains("NoSuchApp.dll", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingSettingsFileGivenExplicitlyIsAnError()
    {
        using var folder = new SocietyFolder();
        await using var devHost = DevHostProcess.Start(Path.Combine(folder.Path, "typo.settings.json"));

        Assert.Equal(1, await devHost.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("typo.settings.json", devHost.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownArgumentPrintsUsageAndExits2()
    {
        await using var devHost = DevHostProcess.Start(settingsPath: null, scriptRoot: null, "--verbose");

        Assert.Equal(2, await devHost.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("unknown argument '--verbose'", devHost.Output, StringComparison.Ordinal);
        Assert.Contains("usage:", devHost.Output, StringComparison.Ordinal);
    }
}
