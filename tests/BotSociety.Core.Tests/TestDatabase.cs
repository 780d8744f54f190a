using System.Security.Cryptography;
using System.Text;
using BotSociety.Core.Data;
using BotSociety.Core.Data.Dialects;
using BotSociety.Core.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace BotSociety.Core.Tests;

/// <summary>
/// Where a test society keeps its data. By default a SQLite file in the test's folder; when
/// <c>BOTSOCIETY_TEST_POSTGRES</c> names a PostgreSQL server (./test.sh starts one and runs the suite again), a database
/// of its own on that server instead, named after the folder, so a test that restarts a society on the same folder
/// finds its data again.
/// </summary>
internal static class TestDatabase
{
    public const string ServerVariable = "BOTSOCIETY_TEST_POSTGRES";

    /// <summary>The server's connection string (a role that may create databases), or null to run on SQLite.</summary>
    public static string? Server => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server ? server : null;

    public static bool IsPostgres => Server is not null;

    /// <summary>The settings that put a society of <paramref name="folder"/> on its database, creating the PostgreSQL one if needed.</summary>
    public static async Task<Dictionary<string, string?>> SettingsAsync(string folder, string prefix = "Database:")
    {
        if (Server is not { } server)
        {
            return new() { [prefix + "Path"] = Path.Combine(folder, "society.db") };
        }

        var name = NameFor(folder);
        await using (var admin = await OpenAdminAsync(server))
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", admin);
            exists.Parameters.AddWithValue("name", name);
            if (await exists.ExecuteScalarAsync() is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{await TemplateAsync(server)}\"", admin);
                await create.ExecuteNonQueryAsync();
            }
        }

        return new()
        {
            [prefix + "Provider"] = "postgres",
            [prefix + "ConnectionString"] = ConnectionString(folder),
        };
    }

    /// <summary>
    /// Creates the folder's PostgreSQL database empty, not copied from the migrated template, for a test of what start
    /// does to a new database. On SQLite a new file is already that.
    /// </summary>
    public static async Task CreateEmptyAsync(string folder)
    {
        if (Server is not { } server)
        {
            return;
        }

        await using var admin = await OpenAdminAsync(server);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{NameFor(folder)}\"", admin);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>The connection string of the folder's PostgreSQL database.</summary>
    public static string ConnectionString(string folder) =>
        new NpgsqlConnectionStringBuilder(Server) { Database = NameFor(folder) }.ConnectionString;

    /// <summary>
    /// True once start has written the folder's society: the SQLite file exists, or the PostgreSQL database (copied
    /// from a migrated template) holds the society's settings row.
    /// </summary>
    public static async Task<bool> IsCreatedAsync(string folder)
    {
        if (!IsPostgres)
        {
            return File.Exists(Path.Combine(folder, "society.db"));
        }

        await using var connection = new NpgsqlConnection(ConnectionString(folder));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM society_settings)", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Drops the folder's PostgreSQL database (its connections too); SQLite files go with the folder.</summary>
    public static async Task DropAsync(string folder)
    {
        if (Server is not { } server)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var admin = await OpenAdminAsync(server);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{NameFor(folder)}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? template;

    /// <summary>
    /// A database migrated once per test run, with the corpus indexed, that each test's database is copied from: a copy
    /// takes a fraction of what running every migration again did. It holds no bots, so each test still seeds its own.
    /// </summary>
    private static async Task<string> TemplateAsync(string server)
    {
        await TemplateGate.WaitAsync();
        try
        {
            if (template is not null)
            {
                return template;
            }

            var name = $"bs_template_{Environment.ProcessId}_{Guid.NewGuid().ToString("N")[..8]}";
            await using (var admin = await OpenAdminAsync(server))
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
                await create.ExecuteNonQueryAsync();
            }

            // Unpooled: a database with a connection open cannot be copied.
            var connection = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
            var options = new DbContextOptionsBuilder<BotSocietyDb>()
                .UseNpgsql(connection, npgsql => npgsql.MigrationsAssembly(DatabaseOptions.PostgresMigrationsAssembly)).Options;
            await using (var db = new BotSocietyDb(options))
            {
                await db.Database.MigrateAsync();
                await using var transaction = await db.Database.BeginTransactionAsync();
                await OfflineCorpusSearch.EnsureIndexedAsync(db, SqlDialect.For(new DatabaseOptions { Provider = DatabaseOptions.Postgres }), transaction.GetDbTransaction(), CancellationToken.None);
                await transaction.CommitAsync();
            }

            return template = name;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static async Task<NpgsqlConnection> OpenAdminAsync(string server)
    {
        var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await admin.OpenAsync();
        return admin;
    }

    private static string NameFor(string folder) =>
        "bs_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(folder))))[..24];
}
