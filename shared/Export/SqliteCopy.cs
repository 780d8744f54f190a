using System.Data;
using BotSociety.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace BotSociety.Core.Export;

/// <summary>
/// A society on another engine (PostgreSQL) written into a new SQLite file: the schema by the app's own SQLite
/// migrations, then every table of the model copied row by row in one snapshot (REPEATABLE READ), so the file is
/// the society as of one moment and opens as a society of its own.
/// </summary>
internal static class SqliteCopy
{
    public static async Task WriteAsync(BotSocietyDb source, string file, CancellationToken ct)
    {
        var target = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, ForeignKeys = false }.ToString();
        var options = new DbContextOptionsBuilder<BotSocietyDb>().UseSqlite(target).Options;
        await using (var schema = new BotSocietyDb(options))
        {
            await schema.Database.MigrateAsync(ct);
        }

        await using var sqlite = new SqliteConnection(target);
        await sqlite.OpenAsync(ct);
        await using var into = (SqliteTransaction)await sqlite.BeginTransactionAsync(ct);
        await using var from = await source.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var connection = source.Database.GetDbConnection();
        foreach (var table in source.Model.GetRelationalModel().Tables)
        {
            // Only the columns both schemas have: a column one engine keeps for itself (a search vector) stays behind.
            var present = await ColumnsAsync(sqlite, into, table.Name, ct);
            var columns = table.Columns.Where(c => present.Contains(c.Name)).ToList();
            if (columns.Count == 0)
            {
                continue;
            }

            var names = string.Join(", ", columns.Select(c => "\"" + c.Name + "\""));
            await using var select = connection.CreateCommand();
            select.Transaction = from.GetDbTransaction();
            select.CommandText = $"SELECT {names} FROM \"{table.Name}\"";
            await using var insert = sqlite.CreateCommand();
            insert.Transaction = into;
            // OR REPLACE: a row a migration seeded (the settings row) takes the society's values.
            insert.CommandText = $"INSERT OR REPLACE INTO \"{table.Name}\" ({names}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
            var parameters = columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter("@p" + i, null))).ToArray();
            var days = columns.Select(c => (Nullable.GetUnderlyingType(c.ProviderClrType) ?? c.ProviderClrType) == typeof(DateOnly)).ToArray();
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                for (var i = 0; i < parameters.Length; i++)
                {
                    // Npgsql reads a date as DateTime unless asked; EF Core's SQLite form of a DateOnly is yyyy-MM-dd.
                    parameters[i].Value = reader.IsDBNull(i) ? DBNull.Value : days[i] ? reader.GetFieldValue<DateOnly>(i) : reader.GetValue(i);
                }

                await insert.ExecuteNonQueryAsync(ct);
            }
        }

        await into.CommitAsync(ct);
        await from.CommitAsync(ct);

        // The migrations leave the file in WAL mode; the snapshot is one file, with no -wal beside it.
        await using var journal = sqlite.CreateCommand();
        journal.CommandText = "PRAGMA journal_mode=DELETE;";
        await journal.ExecuteNonQueryAsync(ct);
    }

    private static async Task<HashSet<string>> ColumnsAsync(SqliteConnection connection, SqliteTransaction transaction, string table, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM pragma_table_info(@table)";
        command.Parameters.AddWithValue("@table", table);
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
