using System.Net;
using System.Net.Sockets;
using BotSociety.Core.Data;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Tests;

/// <summary>A database that cannot be used stops start with one line naming the setting and the cause.</summary>
public sealed class DatabaseStartupTests
{
    [Fact]
    public async Task UnreachablePostgresStopsStartNamingTheSettingAndTheCause()
    {
        var port = ClosedPort();
        var error = await Assert.ThrowsAsync<DatabaseStartupException>(() => TestSociety.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["Database:ConnectionString"] = $"Host=127.0.0.1;Port={port};Database=society;Username=bots;Password=secret-value;Timeout=5",
        }));

        Assert.StartsWith($"Database:ConnectionString: cannot use PostgreSQL at 127.0.0.1:{port}, database 'society': ", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("secret-value", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql", "Host=x", "Database:Provider must be 'sqlite' or 'postgres'; got 'mysql'")]
    [InlineData("postgres", "", "Database:ConnectionString is required with Database:Provider=postgres")]
    [InlineData("postgres", "Host=x;Colour=blue", "Database:ConnectionString is not a valid Npgsql connection string")]
    [InlineData("postgres", "Database=society", "Database:ConnectionString is not a valid Npgsql connection string: it names no Host")]
    public async Task AWrongDatabaseSettingStopsStartNamingIt(string provider, string connection, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestSociety.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["Database:ConnectionString"] = connection,
        }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on: taken from the OS, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
