using BotSociety.Core.Data;
using Npgsql;

namespace BotSociety.Bench;

/// <summary>
/// The database a bench run writes: a SQLite file (<c>--db</c>), or with <c>--postgres &lt;connection string&gt;</c> a
/// PostgreSQL database. A run writes a new society, so an existing file, or a database that already holds bots, is refused.
/// </summary>
internal sealed class BenchDatabase
{
    private BenchDatabase(string? path, string? postgres)
    {
        Path = path;
        Postgres = postgres;
    }

    /// <summary>The SQLite file, or null on PostgreSQL.</summary>
    public string? Path { get; }

    /// <summary>The Npgsql connection string, or null on SQLite.</summary>
    public string? Postgres { get; }

    public static BenchDatabase Sqlite(string path) => new(System.IO.Path.GetFullPath(path), null);

    /// <summary>The database a command's options name; <paramref name="defaultPath"/> when neither is given.</summary>
    public static BenchDatabase From(Options options, string defaultPath)
    {
        if (!options.Has("postgres"))
        {
            var path = System.IO.Path.GetFullPath(options.Text("db", defaultPath));
            return File.Exists(path)
                ? throw new ArgumentException($"{path} already exists; a bench run writes a new society. Remove it or choose another --db.")
                : Sqlite(path);
        }

        var connection = options.Text("postgres", "");
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connection);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--postgres is not an Npgsql connection string: {e.Message}");
        }

        return new BenchDatabase(null, connection);
    }

    /// <summary>The database of a society that already exists (<c>--db</c> or <c>--postgres</c>), for commands that read or steer it.</summary>
    public static BenchDatabase Existing(Options options)
    {
        if (options.Has("postgres"))
        {
            return From(options, "");
        }

        var path = System.IO.Path.GetFullPath(options.Text("db", "botsociety.db"));
        return File.Exists(path) ? Sqlite(path) : throw new ArgumentException($"{path} does not exist; give the society's file with --db, or --postgres.");
    }

    /// <summary>A fresh PostgreSQL database on the server of <paramref name="server"/>, dropped by <see cref="DropAsync"/>.</summary>
    public static async Task<BenchDatabase> CreatePostgresAsync(string server)
    {
        var name = "bench_" + Guid.NewGuid().ToString("N")[..12];
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
        await create.ExecuteNonQueryAsync();
        return new BenchDatabase(null, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    }

    public string Describe => Path ?? $"PostgreSQL database '{new NpgsqlConnectionStringBuilder(Postgres).Database}' on {new NpgsqlConnectionStringBuilder(Postgres).Host}";

    /// <summary>The configuration that points the society at this database.</summary>
    public Dictionary<string, string?> Settings => Path is not null
        ? new() { ["Database:Path"] = Path }
        : new() { ["Database:Provider"] = DatabaseOptions.Postgres, ["Database:ConnectionString"] = Postgres };

    /// <summary>The database's size on disk: the SQLite file with its WAL, or pg_database_size.</summary>
    public async Task<long> SizeBytesAsync()
    {
        if (Path is not null)
        {
            return Report.DatabaseBytes(Path);
        }

        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task DropAsync()
    {
        if (Path is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" }.Where(File.Exists))
            {
                File.Delete(file);
            }

            return;
        }

        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(Postgres).Database;
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Postgres) { Database = "postgres", Pooling = false }.ConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
