using System.Data;
using System.Data.Common;
using System.IO.Pipelines;
using BotSociety.Core.Data;
using BotSociety.Core.Data.Dialects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace BotSociety.Core.Export;

/// <summary>
/// Streams a table of the society as JSON Lines or CSV: rows go from a data reader to the stream one at a time, so an
/// export of millions of rows holds no more than one row and a 64 KB buffer. The columns are the EF model's (the
/// API's snake_case names); the SQL is plain SELECT, the same on SQLite and PostgreSQL.
/// </summary>
public sealed class SocietyExport(IDbContextFactory<BotSocietyDb> dbFactory)
{
    /// <summary>Whether the bot a filter names exists (an unknown <c>bot_id</c> is 404, not an empty file).</summary>
    public async Task<bool> BotExistsAsync(int botId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Bots.AnyAsync(b => b.Id == botId, ct);
    }

    /// <summary>Writes every row of <paramref name="table"/> that <paramref name="filter"/> lets through; returns how many.</summary>
    public async Task<long> WriteAsync(ExportTable table, string format, ExportFilter filter, Stream output, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var columns = ColumnsOf(db.Model, table);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var command = Select(connection, table, columns, filter);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);

        var pipe = PipeWriter.Create(output, new StreamPipeWriterOptions(minimumBufferSize: RowWriter.FlushBytes, leaveOpen: true));
        await using var writer = RowWriter.For(format, pipe, columns);
        await writer.BeginAsync(ct);
        long rows = 0;
        while (await reader.ReadAsync(ct))
        {
            await writer.WriteRowAsync(reader, ct);
            rows++;
        }

        await writer.EndAsync(ct);
        await pipe.CompleteAsync();
        return rows;
    }

    /// <summary>The table's columns in the model's order, each with how its values are written.</summary>
    internal static IReadOnlyList<ExportColumn> ColumnsOf(IModel model, ExportTable table)
    {
        var mapped = model.GetRelationalModel().FindTable(table.Table, null)
            ?? throw new InvalidOperationException($"The model has no table {table.Table}.");
        return [.. mapped.Columns.Select(c => new ExportColumn(c.Name, table.FieldOf(c.Name), KindOf(c, table)))];
    }

    private static ColumnKind KindOf(IColumn column, ExportTable table)
    {
        if (table.JsonColumns.Contains(column.Name, StringComparer.Ordinal))
        {
            return ColumnKind.Json;
        }

        var type = Nullable.GetUnderlyingType(column.ProviderClrType) ?? column.ProviderClrType;
        return type switch
        {
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) => ColumnKind.Integer,
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => ColumnKind.Real,
            _ when type == typeof(bool) => ColumnKind.Boolean,
            _ when type == typeof(DateTime) => ColumnKind.Instant,
            _ when type == typeof(DateOnly) => ColumnKind.Day,
            _ => ColumnKind.Text,
        };
    }

    private static DbCommand Select(DbConnection connection, ExportTable table, IReadOnlyList<ExportColumn> columns, ExportFilter filter)
    {
        var command = connection.CreateCommand();
        var where = new List<string>();
        if (filter.Since is { } since)
        {
            where.Add($"{Quote(table.TimeColumn)} >= @since");
            SqlDialect.Add(command, "@since", since);
        }

        if (filter.Until is { } until)
        {
            where.Add($"{Quote(table.TimeColumn)} < @until");
            SqlDialect.Add(command, "@until", until);
        }

        if (filter.BotId is { } bot)
        {
            where.Add($"{Quote(table.BotColumn)} = @bot");
            SqlDialect.Add(command, "@bot", bot);
        }

        command.CommandText = $"SELECT {string.Join(", ", columns.Select(c => Quote(c.Column)))} FROM {Quote(table.Table)}"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + $" ORDER BY {string.Join(", ", table.OrderBy.Select(Quote))}";
        // An export of a large table takes as long as the client reads; it is not a query that hangs.
        command.CommandTimeout = 0;
        return command;
    }

    // Names come from the model, never from the request; quoted because both engines take "name" as an identifier.
    private static string Quote(string name) => "\"" + name + "\"";
}
