using BotSociety.Core.Tests;
using BotSociety.DevHost.Tests.EndToEnd;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BotSociety.Functions.Tests;

/// <summary>
/// A devhost society's folder and its database: the folder's SQLite file, or, when <c>BOTSOCIETY_TEST_POSTGRES</c>
/// names a server (./test.sh's second run), a PostgreSQL database of its own that the worker is pointed at through
/// <c>Database__Provider</c> and <c>Database__ConnectionString</c>.
/// </summary>
internal sealed class SocietyDatabase : IAsyncDisposable
{
    // The PostgreSQL database's key; a name only, no folder is made for it.
    private readonly string key = Path.Combine(Path.GetTempPath(), "botsociety-functions-" + Guid.NewGuid().ToString("N"));

    private SocietyDatabase()
    {
    }

    public SocietyFolder Folder { get; private set; } = null!;

    public static async Task<SocietyDatabase> CreateAsync(IReadOnlyDictionary<string, string>? extraValues = null)
    {
        var database = new SocietyDatabase();
        var values = new Dictionary<string, string>(extraValues ?? new Dictionary<string, string>());
        if (TestDatabase.IsPostgres)
        {
            foreach (var (name, value) in await TestDatabase.SettingsAsync(database.key, prefix: "Database__"))
            {
                values[name] = value!;
            }
        }

        database.Folder = new SocietyFolder(extraValues: values);
        return database;
    }

    /// <summary>
    /// Bots fall due seconds to minutes apart by the real clock; moving every due time into the past (as the core
    /// tests' OnlyDueAsync does) lets each admin-run tick make every bot act.
    /// </summary>
    public async Task MakeEveryBotDueAsync()
    {
        if (TestDatabase.IsPostgres)
        {
            await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString(key));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("UPDATE bots SET next_heartbeat_at = '2000-01-01 00:00:00+00'", connection);
            await command.ExecuteNonQueryAsync();
            return;
        }

        await using var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Folder.DatabasePath, DefaultTimeout = 30 }.ToString());
        await sqlite.OpenAsync();
        await using var update = sqlite.CreateCommand();
        update.CommandText = "UPDATE bots SET next_heartbeat_at = '2000-01-01 00:00:00'";
        await update.ExecuteNonQueryAsync();
    }

    // After the devhost is gone: its worker no longer holds the database.
    public async ValueTask DisposeAsync()
    {
        Folder.Dispose();
        await TestDatabase.DropAsync(key);
    }
}
