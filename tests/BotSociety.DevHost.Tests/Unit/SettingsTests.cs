using BotSociety.DevHost.Settings;
using Microsoft.Extensions.Logging;

namespace BotSociety.DevHost.Tests.Unit;

public sealed class SettingsTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("devhost-settings-");

    [Fact]
    public void CommandLineDefaultsToLocalSettingsBesideTheAppAndPort7071()
    {
        Assert.True(CommandLine.TryParse(["--script-root", folder.FullName], portVariable: null, out var options, out _));

        Assert.Equal(Path.Combine(folder.FullName, "local.settings.json"), options!.SettingsPath);
        Assert.False(options.SettingsGiven);
        Assert.Equal(7071, options.Port);
    }

    [Fact]
    public void PortComesFromThePortVariableUnlessGiven()
    {
        Assert.True(CommandLine.TryParse(["--script-root", "x"], "8123", out var fromVariable, out _));
        Assert.True(CommandLine.TryParse(["--script-root", "x", "--port", "9000"], "8123", out var given, out _));

        Assert.Equal(8123, fromVariable!.Port);
        Assert.Equal(9000, given!.Port);
    }

    [Theory]
    [InlineData("--script-root", "x", "--verbose")]
    [InlineData("--script-root")]
    [InlineData("--port", "80")]
    [InlineData("--script-root", "x", "--port", "http")]
    public void BadCommandLineIsAnError(params string[] args)
    {
        Assert.False(CommandLine.TryParse(args, portVariable: null, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void MissingDefaultSettingsFileMeansNoValues()
    {
        var settings = AppSettings.Load(Path.Combine(folder.FullName, "local.settings.json"), mustExist: false);

        Assert.Empty(settings.Values);
    }

    [Fact]
    public void MissingSettingsFileGivenExplicitlyIsAnError()
    {
        var path = Path.Combine(folder.FullName, "typo.settings.json");

        var error = Assert.Throws<DevHostStartupException>(() => AppSettings.Load(path, mustExist: true));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesAreReadAsStrings()
    {
        var path = Path.Combine(folder.FullName, "local.settings.json");
        File.WriteAllText(path, """{ "IsEncrypted": false, "Values": { "Database__Path": "a.db", "Society__Seed": 42, "Flag": true } }""");

        var settings = AppSettings.Load(path, mustExist: true);

        Assert.Equal("a.db", settings["Database__Path"]);
        Assert.Equal("42", settings["Society__Seed"]);
        Assert.Equal("true", settings["Flag"]);
    }

    [Fact]
    public void HostJsonGivesRoutePrefixAndLogLevels()
    {
        File.WriteAllText(Path.Combine(folder.FullName, "host.json"), """
            { "version": "2.0",
              "logging": { "logLevel": { "default": "Information", "Microsoft.EntityFrameworkCore": "Warning" } },
              "extensions": { "http": { "routePrefix": "/v2/" } } }
            """);

        var hostJson = HostJson.Load(folder.FullName);

        Assert.Equal("v2", hostJson.RoutePrefix);
        Assert.Equal(LogLevel.Warning, hostJson.MinimumLevel("Microsoft.EntityFrameworkCore.Database.Command"));
        Assert.Equal(LogLevel.Information, hostJson.MinimumLevel("Microsoft.EntityFrameworkCoreish"));
        Assert.Equal(LogLevel.Information, hostJson.MinimumLevel("BotSociety.Core.Simulation.HeartbeatEngine"));
    }

    [Fact]
    public void MissingHostJsonMeansTheApiPrefix()
    {
        Assert.Equal("api", HostJson.Load(folder.FullName).RoutePrefix);
    }

    public void Dispose() => folder.Delete(recursive: true);
}
