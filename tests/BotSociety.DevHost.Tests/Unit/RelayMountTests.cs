using BotSociety.DevHost.Realtime;
using BotSociety.DevHost.Settings;
using Microsoft.AspNetCore.Builder;

namespace BotSociety.DevHost.Tests.Unit;

/// <summary>devhost mounts the relay only when the live stream's connection string names devhost itself.</summary>
public sealed class RelayMountTests
{
    private const string Key = "relay-mount-test-key-0123456789abcdef0123";

    [Theory]
    [InlineData("http://localhost:7071/", 7071, true)]
    [InlineData("http://127.0.0.1:7071/", 7071, true)]
    [InlineData("http://localhost/", 80, true)]
    [InlineData("http://localhost/", 7071, false)]
    [InlineData("http://localhost:7079/", 7071, false)]
    [InlineData("https://society.webpubsub.azure.com/", 443, false)]
    public void OnlyALoopbackEndpointOnDevHostsOwnPortNamesDevHost(string endpoint, int port, bool names)
    {
        Assert.Equal(names, RelayMount.NamesDevHost(new Uri(endpoint), port));
    }

    [Fact]
    public void OwnPortMountsTheRelayAndTellsTheWorkerDevHostsAddress()
    {
        var settings = Settings($"Endpoint=http://localhost;Port=7123;AccessKey={Key};Version=1.0;");

        WebApplication.CreateBuilder().AddDevHostRelay(Options(7123), settings);

        Assert.Equal($"Endpoint=http://localhost;Port=7123;AccessKey={Key};Version=1.0;", settings.WorkerOverrides[RelayMount.ConnectionStringSetting]);
    }

    [Fact]
    public void AnotherPortIsPassedToTheWorkerUnchanged()
    {
        var shared = $"Endpoint=http://localhost:7079;AccessKey={Key};Version=1.0;";
        var settings = Settings(shared);

        WebApplication.CreateBuilder().AddDevHostRelay(Options(7123), settings);

        Assert.Empty(settings.WorkerOverrides);
        Assert.Equal(shared, settings[RelayMount.ConnectionStringSetting]);
    }

    private static AppSettings Settings(string connectionString) =>
        new(new Dictionary<string, string> { [RelayMount.ConnectionStringSetting] = connectionString });

    private static DevHostOptions Options(int port) => new("/app", "/app/local.settings.json", SettingsGiven: false, port);
}
