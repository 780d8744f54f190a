using System.Net;
using System.Net.Sockets;
using BotSociety.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task InstancesStartingAtOnceOnANewDatabaseMigrateAndSeedItOnce()
    {
        var folder = Directory.CreateTempSubdirectory("botsociety-test-").FullName;
        try
        {
            await TestDatabase.CreateEmptyAsync(folder);
            var starts = Enumerable.Range(0, 3).Select(_ => TestSociety.StartAsync(folder: folder)).ToList();
            await Task.WhenAll(starts.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
            var societies = starts.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result).ToList();
            try
            {
                Assert.All(starts, s => Assert.Null(s.Exception));
                await using var db = societies[0].Db();
                var personas = societies[0].Services.GetRequiredService<BotSociety.Core.Bots.PersonaCatalog>().LoadAll();
                Assert.Equal(personas.Count, await db.Bots.CountAsync());
                Assert.Equal(personas.Count, await db.Bots.Select(b => b.PersonaKey).Distinct().CountAsync());
                Assert.Equal(db.Database.GetMigrations().Count(), (await db.Database.GetAppliedMigrationsAsync()).Count());
                Assert.Equal(1, await db.SocietySettings.CountAsync());
            }
            finally
            {
                foreach (var society in societies)
                {
                    await society.DisposeAsync();
                }
            }
        }
        finally
        {
            await TestDatabase.DropAsync(folder);
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A loopback port nothing listens on: taken from the OS, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
