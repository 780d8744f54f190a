using BotSociety.Core.Data.Dialects;
using Microsoft.Data.Sqlite;

namespace BotSociety.Core.Tests;

/// <summary>
/// The heartbeat's writes on SQLite bypass ADO.NET (<see cref="SqliteStatements"/>); what they store must be what
/// ADO.NET stores, or the same society would read back differently depending on which path wrote a row.
/// </summary>
public sealed class SqliteStatementsTests
{
    private const string Insert = "INSERT INTO t (a, b, c, d, e, f, g, h) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7) RETURNING id";

    [Fact]
    public void ValuesAreStoredAsAdoNetStoresThem()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY, path TEXT, a, b, c, d, e, f, g, h)";
            create.ExecuteNonQuery();
        }

        object?[] values =
        [
            new DateTime(2026, 12, 1, 7, 5, 3, 250, DateTimeKind.Utc), new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc),
            new DateOnly(2026, 2, 9), true, 0.1 + 0.2, 12_345_678_901L, "naïve «quotes» 'and' emoji 🙂", null,
        ];

        using (var ado = connection.CreateCommand())
        {
            ado.CommandText = Insert;
            for (var i = 0; i < values.Length; i++)
            {
                ado.Parameters.AddWithValue($"@p{i}", values[i] ?? DBNull.Value);
            }

            ado.ExecuteScalar();
        }

        using (var statements = new SqliteStatements(connection))
        {
            Assert.Equal(2, statements.Scalar(Insert, values));
        }

        // quote() shows each stored value with its type: text in quotes, integers and reals bare, NULL as NULL.
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT quote(a) || quote(b) || quote(c) || quote(d) || quote(e) || quote(f) || quote(g) || quote(h) FROM t ORDER BY id";
        using var reader = read.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        Assert.Equal(2, rows.Count);
        Assert.Equal(rows[0], rows[1]);
        Assert.StartsWith("'2026-12-01 07:05:03.25''2026-12-01 00:00:00''2026-02-09'1", rows[0], StringComparison.Ordinal);
    }

    [Fact]
    public void AFailingStatementRaisesTheSqliteErrorAndLeavesTheStatementUsable()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE u (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)";
            create.ExecuteNonQuery();
        }

        using var statements = new SqliteStatements(connection);
        const string sql = "INSERT INTO u (name) VALUES (@p0)";
        Assert.Equal(1, statements.Execute(sql, ["ada"]));

        // The caller's handling (a rolled-back savepoint, a heartbeat_failed row) catches DbException, as it did for ADO.NET.
        var error = Assert.Throws<SqliteException>(() => statements.Execute(sql, ["ada"]));
        Assert.Equal(19, error.SqliteErrorCode);
        Assert.Contains("UNIQUE", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, statements.Execute(sql, ["bea"]));
    }
}
