using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Data.Dialects;

/// <summary>
/// Everything that differs between the society's two databases, in one place: how EF Core connects, the few SQL
/// statements that are not the same text on both, and how their parameters are passed. The rest of the data layer is
/// provider-neutral EF Core or plain SQL both speak (<c>INSERT … RETURNING</c>, <c>ON CONFLICT</c>, savepoints).
/// </summary>
public abstract class SqlDialect
{
    /// <summary>The dialect of <c>Database:Provider</c>.</summary>
    public static SqlDialect For(DatabaseOptions options) => options.IsPostgres ? new PostgresDialect() : new SqliteDialect();

    /// <summary>The provider's name as <c>Database:Provider</c> spells it.</summary>
    public abstract string Name { get; }

    /// <summary>Points EF Core at the database (provider, connection, migrations set).</summary>
    internal abstract void Configure(DbContextOptionsBuilder options, DatabaseOptions settings);

    /// <summary>
    /// Held while one instance migrates, so instances starting side by side apply each migration once. EF Core's own
    /// migration lock on PostgreSQL ends with each migration's transaction: a second instance that read the history
    /// before the first committed applied the same migration again and failed on objects already changed.
    /// </summary>
    internal virtual Task<IAsyncDisposable> LockMigrationsAsync(BotSocietyDb db, CancellationToken ct) =>
        Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    /// <summary>Once per start, after migrations: settings the database keeps (SQLite's WAL journal).</summary>
    internal abstract Task PrepareAsync(BotSocietyDb db, CancellationToken ct);

    /// <summary>
    /// Makes the caller the society's only writer of heartbeats until <paramref name="transaction"/> ends. Heartbeats
    /// read scores and counts and write them back, so two instances applying at once would lose each other's updates.
    /// Model calls still run side by side on every instance; only the milliseconds of applying take turns.
    /// </summary>
    internal abstract Task LockWritersAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct);

    /// <summary>Appended to the claim's row selection: rows another instance is claiming right now are passed over, not waited for.</summary>
    internal abstract string SkipLockedRows { get; }

    /// <summary>
    /// The offline corpus search for the query's <paramref name="terms"/> (each a token prefix, any of them may match),
    /// best first, as rows of (article_id, topic, title, body, score): BM25 with FTS5's parameters and column weights
    /// (topic 0.5, title 4, body 1) on both databases, ties in article order.
    /// </summary>
    internal abstract DbCommand SearchCommand(DbConnection connection, IReadOnlyList<string> terms, int limit);

    /// <summary>SQL that counts the articles indexed for search (a changed count means the corpus is indexed again).</summary>
    internal virtual string IndexedArticlesSql => "SELECT count(*) FROM corpus_fts";

    /// <summary>Writes what the search needs beyond the article rows (PostgreSQL's token counts); SQLite's FTS5 keeps its own.</summary>
    internal virtual Task IndexTokensAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Search.CorpusArticle> articles, CancellationToken ct) =>
        Task.CompletedTask;

    /// <summary>
    /// The reputation points of the chosen ten-minute slots (optionally of one bot and since an instant), and of each
    /// listed bot's newest bucket, as rows of (bot_id, at, score).
    /// </summary>
    internal abstract DbCommand ReputationPointsCommand(
        DbConnection connection, IReadOnlyList<DateTime> slots, IReadOnlyList<(int BotId, DateTime Bucket)> newest, int? botId, DateTime? since);

    /// <summary>
    /// The ids of threads whose title, body or any reply holds every one of <paramref name="terms"/> (as words, stemmed),
    /// from the <c>thread_search</c> index the ThreadSearch migration keeps; composable, so a filter or a page applies to it.
    /// </summary>
    internal abstract IQueryable<int> ThreadsMatching(BotSocietyDb db, IReadOnlyList<string> terms);

    /// <summary>For each instant of <paramref name="grid"/>, the first bucket at or after it (of one bot, or of any), distinct.</summary>
    internal abstract IQueryable<DateTime> FirstSlotsAtOrAfter(BotSocietyDb db, IReadOnlyList<DateTime> grid, int? botId);

    /// <summary>True for the faults that mean the database could not be reached or opened at all (as opposed to a bad statement).</summary>
    internal abstract bool IsUnreachable(Exception exception);

    /// <summary>One line for an operator when the database cannot be reached at start: the setting to look at and the cause.</summary>
    internal abstract string DescribeUnreachable(Exception exception, DatabaseOptions settings);

    /// <summary>
    /// Writes a consistent copy of the whole society into the new SQLite file <paramref name="file"/>, a database that
    /// the app opens as a society of its own (<c>GET /api/export/society.db</c>).
    /// </summary>
    internal abstract Task WriteSnapshotAsync(BotSocietyDb db, string file, CancellationToken ct);

    /// <summary>
    /// A condition that <paramref name="column"/> is one of the ids passed as the one parameter <paramref name="parameter"/>
    /// (its value made by <see cref="Ids"/>): the statement's text, and so its prepared plan, is the same for any number of ids.
    /// </summary>
    internal abstract string InIds(string column, string parameter);

    /// <summary>The value of an <see cref="InIds"/> parameter.</summary>
    internal abstract object Ids(IReadOnlyCollection<int> ids);

    /// <summary>Adds a positional parameter (<c>@p0</c>, <c>@p1</c>, …) to a command.</summary>
    internal static DbParameter Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Adds <c>@p0</c>, <c>@p1</c>, … to a command, one per value, in order.</summary>
    internal static void AddPositional(DbCommand command, IReadOnlyList<object?> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            Add(command, "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), values[i]);
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
