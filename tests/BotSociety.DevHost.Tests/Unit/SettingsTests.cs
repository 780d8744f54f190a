using BotSociety.DevHost.Queues;
using BotSociety.DevHost.Settings;
using BotSociety.DevHost.Storage;
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

    [Fact]
    public void HostJsonGivesTheQueueSettings()
    {
        File.WriteAllText(Path.Combine(folder.FullName, "host.json"), """
            { "version": "2.0",
              "extensions": { "queues": { "batchSize": 8, "newBatchThreshold": 2, "maxPollingInterval": "00:00:02",
                                          "visibilityTimeout": "00:00:30", "maxDequeueCount": 3, "messageEncoding": "none" } } }
            """);

        var queues = HostJson.Load(folder.FullName).Queues;

        Assert.Equal(new QueuesOptions(8, 2, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), 3, QueueEncoding.None), queues);
        Assert.Equal(2, queues.EffectiveNewBatchThreshold);
    }

    [Fact]
    public void QueueSettingsDefaultToTheExtensions()
    {
        var queues = HostJson.Load(folder.FullName).Queues;

        Assert.Equal(16, queues.BatchSize);
        Assert.Equal(8 * Environment.ProcessorCount, queues.EffectiveNewBatchThreshold);
        Assert.Equal(TimeSpan.FromMinutes(1), queues.MaxPollingInterval);
        Assert.Equal(TimeSpan.Zero, queues.VisibilityTimeout);
        Assert.Equal(5, queues.MaxDequeueCount);
        Assert.Equal(QueueEncoding.Base64, queues.MessageEncoding);
    }

    [Theory]
    [InlineData("\"batchSize\": 64", "extensions.queues.batchSize")]
    [InlineData("\"maxPollingInterval\": \"soon\"", "extensions.queues.maxPollingInterval")]
    [InlineData("\"messageEncoding\": \"utf8\"", "extensions.queues.messageEncoding")]
    [InlineData("\"maxDequeueCount\": 0", "extensions.queues.maxDequeueCount")]
    public void WrongQueueSettingStopsDevHostNamingIt(string setting, string path)
    {
        File.WriteAllText(Path.Combine(folder.FullName, "host.json"), $$"""{ "extensions": { "queues": { {{setting}} } } }""");

        var error = Assert.Throws<DevHostStartupException>(() => HostJson.Load(folder.FullName));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutStorageSettingsTheLeasesAreTheHostsAndNoAccountIsUsed()
    {
        var storage = StorageSettings.Load(new AppSettings(new Dictionary<string, string>()), "/app");

        Assert.Null(storage.HostStorage);
        Assert.Equal(TimeSpan.FromMinutes(10), storage.QueueMessageLease);
        Assert.Equal(TimeSpan.FromSeconds(60), storage.TimerLease);
        Assert.Equal(StorageSettings.DefaultHostId(Environment.MachineName, "/app"), storage.HostId);
    }

    [Fact]
    public void DevHostLeaseSettingsShortenTheLeases()
    {
        var storage = StorageSettings.Load(Values(("DevHost__QueueMessageLeaseSeconds", "2"), ("DevHost__TimerLeaseSeconds", "15")), "/app");

        Assert.Equal(TimeSpan.FromSeconds(2), storage.QueueMessageLease);
        Assert.Equal(TimeSpan.FromSeconds(15), storage.TimerLease);
    }

    [Theory]
    [InlineData("DevHost__TimerLeaseSeconds", "5")]
    [InlineData("DevHost__TimerLeaseSeconds", "a minute")]
    [InlineData("DevHost__QueueMessageLeaseSeconds", "0")]
    [InlineData("AzureFunctionsWebHost__hostid", "Two_Hosts")]
    [InlineData("AzureFunctionsJobHost__id", "-leading-dash")]
    [InlineData("AzureWebJobsStorage", "not a connection string")]
    public void WrongStorageSettingStopsDevHostNamingIt(string name, string value)
    {
        var error = Assert.Throws<DevHostStartupException>(() => StorageSettings.Load(Values((name, value)), "/app"));

        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostIdComesFromTheSettingElseTheHostsLocalDefault()
    {
        Assert.Equal("two-devhosts", StorageSettings.Load(Values(("AzureFunctionsWebHost__hostid", "two-devhosts")), "/app").HostId);
        Assert.Equal("legacy-id", StorageSettings.Load(Values(("AzureFunctionsJobHost__id", "legacy-id")), "/app").HostId);

        // The machine name's letters and digits, a dash and the stable hash of the app's folder, lower case, at most 32 characters.
        Assert.Equal("buildagent7-22737961", StorageSettings.DefaultHostId("build-agent_7", "/app"));
        Assert.Equal("averylongmachinenameindeed-12681", StorageSettings.DefaultHostId("A-Very-Long-Machine-Name-Indeed", "/srv/society/functions/bin/Release/net10.0"));
    }

    [Fact]
    public void UseDevelopmentStorageIsAzuriteOnItsDefaultPorts()
    {
        var storage = StorageSettings.Load(Values(("AzureWebJobsStorage", "UseDevelopmentStorage=true")), "/app");

        Assert.Equal("http://127.0.0.1:10001/devstoreaccount1", storage.HostStorage!.QueueEndpoint);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", storage.HostStorage.BlobEndpoint);
    }

    [Fact]
    public void QueueNameResolvesSettingsAndIsLowerCased()
    {
        var trigger = QueueTriggerDefinition.From(Unit.TestFunctions.Queue("RunHeartbeats", "%HeartbeatQueue%"), Values(("HeartbeatQueue", "Heartbeats")));

        Assert.Equal("heartbeats", trigger.QueueName);
        Assert.Equal("heartbeats-poison", trigger.PoisonQueueName);
        Assert.Equal("message", trigger.BindingName);
    }

    [Theory]
    [InlineData("%Missing%", "'Missing'")]
    [InlineData("ab", "not a valid queue name")]
    [InlineData("heart--beats", "not a valid queue name")]
    public void BadQueueNameStopsDevHostNamingTheFunction(string queueName, string expected)
    {
        var error = Assert.Throws<DevHostStartupException>(() => QueueTriggerDefinition.From(Unit.TestFunctions.Queue("RunHeartbeats", queueName), Values()));

        Assert.Contains("'RunHeartbeats'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => folder.Delete(recursive: true);

    private static AppSettings Values(params (string Name, string Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => v.Value, StringComparer.OrdinalIgnoreCase));
}
