using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using BotSociety.Core.Search;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Data.Dialects;

/// <summary>
/// SQLite: one file, one writer at a time (a write transaction begins IMMEDIATE, so the file's own lock orders
/// writers), FTS5 for the corpus, JSON text for list parameters.
/// </summary>
internal sealed partial class SqliteDialect : SqlDialect
{
    public override string Name => DatabaseOptions.Sqlite;

    internal override void Configure(DbContextOptionsBuilder options, DatabaseOptions settings)
    {
        var path = Path.GetFullPath(settings.Path);
        var folder = Path.GetDirectoryName(path)!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatabaseStartupException($"Database:Path: cannot make the folder '{folder}' for the SQLite file: {e.Message}", e);
        }

        var connection = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30, Pooling = true };
        options.UseSqlite(connection.ToString()).AddInterceptors(new SqlitePragmaInterceptor())

            // A migration that rebuilds a table (OperatorViews makes activity_log.bot_id nullable) turns foreign keys off
            // around it, which SQLite allows only outside a transaction. The rebuild itself still commits or rolls back
            // whole, and the pragma lasts only as long as the connection, so a crash leaves nothing half-done to warn of.
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.NonTransactionalMigrationOperationWarning));
    }

    // WAL lets the API read while a heartbeat writes; the mode is stored in the file, so setting it once sticks.
    internal override async Task PrepareAsync(BotSocietyDb db, CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        // A connection pooled before the migrations ran keeps what it read of the schema, and after a migration that
        // rebuilt a table (drop, then rename) or dropped a full-text table it was seen to fail with "no such table"
        // for a table that is there. The pool starts afresh; connections in use are closed when they come back.
        SqliteConnection.ClearPool((SqliteConnection)db.Database.GetDbConnection());
    }

    // SQLite's online backup copies every page as of one moment while heartbeats go on writing. The copy leaves WAL
    // mode behind (journal_mode=DELETE), so the file alone, without a -wal beside it, is the whole society.
    internal override async Task WriteSnapshotAsync(BotSocietyDb db, string file, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var source = (SqliteConnection)db.Database.GetDbConnection();
        await using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        await target.OpenAsync(ct);
        await Task.Run(() => source.BackupDatabase(target), ct);
        await using var journal = target.CreateCommand();
        journal.CommandText = "PRAGMA journal_mode=DELETE;";
        await journal.ExecuteNonQueryAsync(ct);
    }

    // Microsoft.Data.Sqlite begins transactions IMMEDIATE: holding one already makes this connection the only writer.
    internal override Task LockWritersAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct) => Task.CompletedTask;

    internal override string SkipLockedRows => "";

    // json_each reads the list as a table; SQLite looks each value up in the column's index.
    internal override string InIds(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    internal override object Ids(IReadOnlyCollection<int> ids) => JsonSerializer.Serialize(ids);

    internal override DbCommand SearchCommand(DbConnection connection, IReadOnlyList<string> terms, int limit)
    {
        var command = connection.CreateCommand();
        command.CommandText = """
            SELECT article_id, topic, title, body, -bm25(corpus_fts, 0.0, 0.5, 4.0, 1.0) AS score
            FROM corpus_fts WHERE corpus_fts MATCH @match
            ORDER BY bm25(corpus_fts, 0.0, 0.5, 4.0, 1.0), article_id LIMIT @limit
            """;
        Add(command, "@match", ToMatchExpression(terms));
        Add(command, "@limit", limit);
        return command;
    }

    internal override DbCommand ReputationPointsCommand(
        DbConnection connection, IReadOnlyList<DateTime> slots, IReadOnlyList<(int BotId, DateTime Bucket)> newest, int? botId, DateTime? since)
    {
        var command = connection.CreateCommand();
        var filters = (botId is null ? "" : " AND bot_id = @bot") + (since is null ? "" : " AND at >= @since");
        command.CommandText = $"""
            SELECT bot_id, at, score FROM reputation_buckets WHERE bucket IN (SELECT value FROM json_each(@slots)){filters}
            UNION ALL
            SELECT b.bot_id, b.at, b.score FROM json_each(@newest) AS n
            JOIN reputation_buckets AS b ON b.bot_id = n.value ->> 0 AND b.bucket = n.value ->> 1
            """;
        Add(command, "@slots", JsonSerializer.Serialize(slots.Select(StoredText)));
        Add(command, "@newest", JsonSerializer.Serialize(newest.Select(n => new object[] { n.BotId, StoredText(n.Bucket) })));
        if (botId is { } bot)
        {
            Add(command, "@bot", bot);
        }

        if (since is { } from)
        {
            Add(command, "@since", from);
        }

        return command;
    }

    internal override IQueryable<DateTime> FirstSlotsAtOrAfter(BotSocietyDb db, IReadOnlyList<DateTime> grid, int? botId)
    {
        var instants = JsonSerializer.Serialize(grid.Select(StoredText));
        return botId is { } bot
            ? db.Database.SqlQuery<DateTime>($"""
                SELECT DISTINCT (SELECT min(b.bucket) FROM reputation_buckets b WHERE b.bot_id = {bot} AND b.bucket >= g.value) AS Value
                FROM json_each({instants}) AS g
                """)
            : db.Database.SqlQuery<DateTime>($"""
                SELECT DISTINCT (SELECT min(b.bucket) FROM reputation_buckets b WHERE b.bucket >= g.value) AS Value
                FROM json_each({instants}) AS g
                """);
    }

    internal override bool IsUnreachable(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 14 or 26 } // SQLITE_CANTOPEN, SQLITE_NOTADB
        || exception is UnauthorizedAccessException or DirectoryNotFoundException;

    internal override string DescribeUnreachable(Exception exception, DatabaseOptions settings)
    {
        var path = Path.GetFullPath(settings.Path);
        var cause = exception is SqliteException { SqliteErrorCode: 26 }
            ? "it is not a SQLite database"
            : Unwritable(path) ?? exception.GetBaseException().Message;
        return $"Database:Path: cannot open the SQLite file '{path}': {cause}";
    }

    /// <summary>
    /// Why the file or its folder cannot be written, found by trying (permissions alone do not tell: a read-only
    /// mount, or root, who passes every permission check), or null when both can. SQLite itself only says
    /// "unable to open database file", with no path and no reason.
    /// </summary>
    private static string? Unwritable(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                using (File.Open(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
                {
                }
            }

            // WAL mode writes two files beside the database, so the folder must take new files too.
            var probe = Path.Combine(Path.GetDirectoryName(path)!, $".botsociety-write-check-{Environment.ProcessId}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the file or its folder cannot be written ({e.Message})";
        }
    }

    /// <summary>
    /// An instant as SQLite holds it (EF Core and Microsoft.Data.Sqlite write the same text), for instants inside a
    /// JSON parameter, where the driver does not format them: comparisons with stored text are then the index's own.
    /// </summary>
    private static string StoredText(DateTime instant) => instant.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    // Quoted terms with nothing between them: FTS5 wants them all. The terms are letters and digits only (SearchTerms).
    internal override IQueryable<int> ThreadsMatching(BotSocietyDb db, IReadOnlyList<string> terms) =>
        db.Database.SqlQueryRaw<int>(
            "SELECT thread_id AS \"Value\" FROM thread_search WHERE thread_search MATCH {0}",
            string.Join(" ", terms.Select(t => $"\"{t}\"")));

    /// <summary>
    /// Turns the query's words into a safe FTS5 expression: quoted prefix terms joined by OR, so model-written
    /// queries can never inject FTS syntax and partial words still match.
    /// </summary>
    internal static string ToMatchExpression(IReadOnlyList<string> terms) => string.Join(" OR ", terms.Select(t => $"\"{t}\"*"));
}

/// <summary>The words of a search query both dialects search for: letters and digits only, no stop words, at most twelve.</summary>
internal static partial class SearchTerms
{
    private static readonly HashSet<string> StopWords =
        ["the", "and", "for", "with", "what", "how", "why", "are", "is", "of", "to", "in", "on", "a", "an", "does", "do", "about"];

    public static List<string> Of(string query) =>
        Word().Matches(query.ToLowerInvariant())
            .Select(m => CorpusText.Fold(m.Value))
            .Where(w => w.Length > 1 && !StopWords.Contains(w))
            .Distinct()
            .Take(12)
            .ToList();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
