using System.Net;
using System.Net.Sockets;
using BotSociety.DevHost.Tests.EndToEnd;

namespace BotSociety.Functions.Tests;

/// <summary>What an operator sees when the worker cannot reach its PostgreSQL: one line naming the setting and the cause.</summary>
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
}
