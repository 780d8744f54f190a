using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BotSociety.Core.Data.Dialects;

/// <summary>
/// Prepared statements run straight on SQLite's own API, for the heartbeat's many small writes. Through ADO.NET each
/// execution made a data reader, looked every parameter up by name (its name turned into UTF-8 each time) and walked
/// the command's statement list; at ten-odd statements a heartbeat that was a sixth of the apply path's time. Here
/// a statement is prepared once per writer, its parameters' positions found once, and each execution binds by
/// position, steps and resets. Values are stored exactly as Microsoft.Data.Sqlite stores them (the same text for an
/// instant or a date, integers for booleans), so rows written either way read back the same.
/// </summary>
internal sealed class SqliteStatements(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, Prepared> statements = [];

    /// <summary>
    /// Runs <paramref name="sql"/> with <c>@p0</c>, <c>@p1</c>, … bound to <paramref name="values"/>; each row's first
    /// column (a <c>RETURNING</c> id) goes to <paramref name="row"/>. Returns the rows it changed.
    /// </summary>
    public int Execute(string sql, object?[] values, Action<long>? row = null)
    {
        var db = connection.Handle!;
        var prepared = Prepare(db, sql, values.Length);
        var stmt = prepared.Statement;
        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                Bind(stmt, prepared.Positions[i], values[i]);
            }

            int rc;
            while ((rc = raw.sqlite3_step(stmt)) == raw.SQLITE_ROW)
            {
                if (row is not null && raw.sqlite3_column_type(stmt, 0) != raw.SQLITE_NULL)
                {
                    row(raw.sqlite3_column_int64(stmt, 0));
                }
            }

            if (rc != raw.SQLITE_DONE)
            {
                // The same exception ADO.NET raises (a DbException), with SQLite's message, so callers' handling holds.
                SqliteException.ThrowExceptionForRC(rc, db);
            }

            return raw.sqlite3_changes(db);
        }
        finally
        {
            raw.sqlite3_reset(stmt);
        }
    }

    /// <summary>The first column of the first row (a <c>RETURNING</c> id or a count), or null.</summary>
    public long? Scalar(string sql, object?[] values)
    {
        long? first = null;
        Execute(sql, values, value => first ??= value);
        return first;
    }

    public void Dispose()
    {
        foreach (var prepared in statements.Values)
        {
            prepared.Statement.Dispose();
        }

        statements.Clear();
    }

    private Prepared Prepare(sqlite3 db, string sql, int count)
    {
        if (statements.TryGetValue(sql, out var prepared))
        {
            return prepared;
        }

        var rc = raw.sqlite3_prepare_v2(db, sql, out var stmt);
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        // SQLite numbers parameters in the order they first appear, not by their names' digits: look each one up once.
        var positions = new int[count];
        for (var i = 0; i < count; i++)
        {
            positions[i] = raw.sqlite3_bind_parameter_index(stmt, "@p" + i.ToString(CultureInfo.InvariantCulture));
            if (positions[i] == 0)
            {
                stmt.Dispose();
                throw new InvalidOperationException($"The statement has no parameter @p{i}: {sql}");
            }
        }

        prepared = new Prepared(stmt, positions);
        statements[sql] = prepared;
        return prepared;
    }

    private static void Bind(sqlite3_stmt stmt, int position, object? value)
    {
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(stmt, position),
            string text => raw.sqlite3_bind_text(stmt, position, text),
            int number => raw.sqlite3_bind_int64(stmt, position, number),
            long number => raw.sqlite3_bind_int64(stmt, position, number),
            bool flag => raw.sqlite3_bind_int64(stmt, position, flag ? 1 : 0),
            double real when double.IsNaN(real) => throw new InvalidOperationException("SQLite cannot store NaN."),
            double real => raw.sqlite3_bind_double(stmt, position, real),
            DateTime instant => raw.sqlite3_bind_text(stmt, position, instant.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture)),
            DateOnly day => raw.sqlite3_bind_text(stmt, position, day.ToString(@"yyyy\-MM\-dd", CultureInfo.InvariantCulture)),
            _ => throw new InvalidOperationException($"No SQLite binding for a {value.GetType().Name}."),
        };
        if (rc != raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"SQLite refused parameter {position} (error {rc}).");
        }
    }

    private sealed record Prepared(sqlite3_stmt Statement, int[] Positions);
}
