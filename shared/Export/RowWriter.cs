using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;

namespace BotSociety.Core.Export;

/// <summary>How one column is read and written: by the type its values have in the CLR, as the EF model maps them.</summary>
internal enum ColumnKind
{
    Text,
    Json,
    Integer,
    Real,
    Boolean,
    Instant,
    Day,
}

/// <summary>One exported column: its name in the database, its snake_case field name (the API's), and how its values are written.</summary>
internal sealed record ExportColumn(string Column, string Name, ColumnKind Kind);

/// <summary>
/// Writes rows from a data reader into a pipe, one at a time: nothing holds more than the row at hand and the
/// pipe's buffer, which is flushed to the client whenever it passes <see cref="FlushBytes"/>.
/// </summary>
internal abstract class RowWriter(PipeWriter pipe, IReadOnlyList<ExportColumn> columns) : IAsyncDisposable
{
    /// <summary>About 64 KB on the wire at a time: large enough that flushing costs little, small enough to stream.</summary>
    public const int FlushBytes = 64 * 1024;

    protected PipeWriter Pipe => pipe;

    protected IReadOnlyList<ExportColumn> Columns => columns;

    public static RowWriter For(string format, PipeWriter pipe, IReadOnlyList<ExportColumn> columns) =>
        format == ExportTables.Csv ? new CsvRowWriter(pipe, columns) : new JsonlRowWriter(pipe, columns);

    public abstract ValueTask BeginAsync(CancellationToken ct);

    /// <summary>Writes the reader's current row; flushes when enough is pending.</summary>
    public abstract ValueTask WriteRowAsync(DbDataReader reader, CancellationToken ct);

    public abstract ValueTask EndAsync(CancellationToken ct);

    public abstract ValueTask DisposeAsync();

    /// <summary>UTC, trailing zeros of the fraction left out: the form System.Text.Json writes, so the API and the export agree.</summary>
    protected static string Instant(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    protected static DateTime ReadInstant(DbDataReader reader, int i) => DateTime.SpecifyKind(reader.GetDateTime(i), DateTimeKind.Utc);
}

/// <summary>JSON Lines: one object per row, the members named as the columns, a line feed after each.</summary>
internal sealed class JsonlRowWriter(PipeWriter pipe, IReadOnlyList<ExportColumn> columns) : RowWriter(pipe, columns)
{
    private readonly Utf8JsonWriter json = new(pipe, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    private readonly JsonEncodedText[] names = [.. columns.Select(c => JsonEncodedText.Encode(c.Name))];

    public override ValueTask BeginAsync(CancellationToken ct) => ValueTask.CompletedTask;

    public override async ValueTask WriteRowAsync(DbDataReader reader, CancellationToken ct)
    {
        json.WriteStartObject();
        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i];
            if (reader.IsDBNull(i))
            {
                json.WriteNull(name);
                continue;
            }

            switch (Columns[i].Kind)
            {
                case ColumnKind.Integer: json.WriteNumber(name, reader.GetInt64(i)); break;
                case ColumnKind.Real: json.WriteNumber(name, reader.GetDouble(i)); break;
                case ColumnKind.Boolean: json.WriteBoolean(name, reader.GetBoolean(i)); break;
                case ColumnKind.Instant: json.WriteString(name, Instant(ReadInstant(reader, i))); break;
                case ColumnKind.Day: json.WriteString(name, reader.GetFieldValue<DateOnly>(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
                case ColumnKind.Json: WriteJson(name, reader.GetString(i)); break;
                default: json.WriteString(name, reader.GetString(i)); break;
            }
        }

        json.WriteEndObject();
        json.Flush();
        // The writer separates values with nothing at the top level once it is reset; the line feed is JSONL's separator.
        Pipe.Write("\n"u8);
        json.Reset();
        if (Pipe.UnflushedBytes >= FlushBytes)
        {
            await Pipe.FlushAsync(ct);
        }
    }

    public override async ValueTask EndAsync(CancellationToken ct)
    {
        json.Flush();
        await Pipe.FlushAsync(ct);
    }

    public override ValueTask DisposeAsync() => json.DisposeAsync();

    private void WriteJson(JsonEncodedText name, string text)
    {
        json.WritePropertyName(name);
        try
        {
            // Validated before anything is written, so a column that is not JSON after all is written as its text.
            json.WriteRawValue(text, skipInputValidation: false);
        }
        catch (ArgumentException)
        {
            json.WriteStringValue(text);
        }
        catch (JsonException)
        {
            json.WriteStringValue(text);
        }
    }
}

/// <summary>
/// CSV as RFC 4180 says: a header row, CRLF after every row, and a field quoted when it holds a comma, a quote, CR or
/// LF, with its quotes doubled. Numbers and instants are written invariantly, so any locale reads them back.
/// </summary>
internal sealed class CsvRowWriter(PipeWriter pipe, IReadOnlyList<ExportColumn> columns) : RowWriter(pipe, columns)
{
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    public override async ValueTask BeginAsync(CancellationToken ct)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (i > 0)
            {
                Write(",");
            }

            Field(Columns[i].Name);
        }

        Write("\r\n");
        await Pipe.FlushAsync(ct);
    }

    public override async ValueTask WriteRowAsync(DbDataReader reader, CancellationToken ct)
    {
        Span<char> number = stackalloc char[32];
        for (var i = 0; i < Columns.Count; i++)
        {
            if (i > 0)
            {
                Write(",");
            }

            // NULL is the empty field; an empty text is "" so the two stay apart.
            if (reader.IsDBNull(i))
            {
                continue;
            }

            int written;
            switch (Columns[i].Kind)
            {
                case ColumnKind.Integer:
                    reader.GetInt64(i).TryFormat(number, out written, default, CultureInfo.InvariantCulture);
                    Write(number[..written]);
                    break;
                case ColumnKind.Real:
                    reader.GetDouble(i).TryFormat(number, out written, "R", CultureInfo.InvariantCulture);
                    Write(number[..written]);
                    break;
                case ColumnKind.Boolean: Write(reader.GetBoolean(i) ? "true" : "false"); break;
                case ColumnKind.Instant: Write(Instant(ReadInstant(reader, i))); break;
                case ColumnKind.Day: Write(reader.GetFieldValue<DateOnly>(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
                default:
                    var text = reader.GetString(i);
                    if (text.Length == 0)
                    {
                        Write("\"\"");
                    }
                    else
                    {
                        Field(text);
                    }

                    break;
            }
        }

        Write("\r\n");
        if (Pipe.UnflushedBytes >= FlushBytes)
        {
            await Pipe.FlushAsync(ct);
        }
    }

    public override async ValueTask EndAsync(CancellationToken ct) => await Pipe.FlushAsync(ct);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>One field, quoted (quotes doubled) only when RFC 4180 requires it.</summary>
    internal void Field(string text)
    {
        if (text.AsSpan().IndexOfAny(NeedsQuotes) < 0)
        {
            Write(text);
            return;
        }

        Write("\"");
        var rest = text.AsSpan();
        int quote;
        while ((quote = rest.IndexOf('"')) >= 0)
        {
            Write(rest[..(quote + 1)]);
            Write("\"");
            rest = rest[(quote + 1)..];
        }

        Write(rest);
        Write("\"");
    }

    private void Write(ReadOnlySpan<char> text)
    {
        var span = Pipe.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        Pipe.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
