using System.Data.Common;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BotSociety.Core.Data.Dialects;

/// <summary>
/// PostgreSQL: many instances of the app on one database. Writers of heartbeats take turns on an advisory lock,
/// claims pass over rows another instance holds (<c>SKIP LOCKED</c>), the corpus is searched with full-text search,
/// and list parameters are arrays. Its migrations live in their own assembly, as EF Core documents for several providers.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    public const string MigrationsAssembly = DatabaseOptions.PostgresMigrationsAssembly;

    // Any fixed number, the same in every instance: the key of the society's one writers' lock.
    private const long WritersLockKey = 0x426f74536f6369; // "BotSoci"

    public override string Name => DatabaseOptions.Postgres;

    internal override void Configure(DbContextOptionsBuilder options, DatabaseOptions settings)
    {
        var connection = new NpgsqlConnectionStringBuilder(settings.ConnectionString);

        // A heartbeat runs the same dozen statements thousands of times; prepared once per connection they skip
        // PostgreSQL's parse and plan. An operator's own Max Auto Prepare wins.
        if (connection.MaxAutoPrepare == 0)
        {
            connection.MaxAutoPrepare = 64;
        }

        options.UseNpgsql(connection.ConnectionString, npgsql => npgsql.MigrationsAssembly(MigrationsAssembly));
    }

    internal override Task PrepareAsync(BotSocietyDb db, CancellationToken ct) => Task.CompletedTask;

    internal override async Task LockWritersAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(@key)";
        Add(command, "@key", WritersLockKey);
        await command.ExecuteNonQueryAsync(ct);
    }

    internal override string SkipLockedRows => " FOR UPDATE SKIP LOCKED";

    /// <summary>
    /// The same words as SQLite's search, as prefix terms joined by OR; the weights follow its bm25 ones (title 4,
    /// body 1, topic 0.5) through setweight A, B and C of the stored vector.
    /// </summary>
    internal override DbCommand? SearchCommand(DbConnection connection, string query, int limit)
    {
        var terms = SearchTerms.Of(query);
        if (terms.Count == 0)
        {
            return null;
        }

        var command = connection.CreateCommand();
        command.CommandText = """
            SELECT article_id, topic, title,
                   ts_headline('english', body, q, 'StartSel="", StopSel="", MaxWords=24, MinWords=12, MaxFragments=1, FragmentDelimiter=" … "'),
                   ts_rank('{0.1, 0.125, 0.25, 1.0}', search, q)::float8 AS score
            FROM corpus_fts, to_tsquery('english', @match) AS q
            WHERE search @@ q
            ORDER BY score DESC, article_id LIMIT @limit
            """;
        Add(command, "@match", string.Join(" | ", terms.Select(t => t + ":*")));
        Add(command, "@limit", limit);
        return command;
    }

    internal override DbCommand ReputationPointsCommand(
        DbConnection connection, IReadOnlyList<DateTime> slots, IReadOnlyList<(int BotId, DateTime Bucket)> newest, int? botId, DateTime? since)
    {
        var command = connection.CreateCommand();
        var filters = (botId is null ? "" : " AND bot_id = @bot") + (since is null ? "" : " AND at >= @since");
        command.CommandText = $"""
            SELECT bot_id, at, score FROM reputation_buckets WHERE bucket = ANY(@slots){filters}
            UNION ALL
            SELECT b.bot_id, b.at, b.score FROM unnest(@newest_bots, @newest_buckets) AS n(bot_id, bucket)
            JOIN reputation_buckets AS b ON b.bot_id = n.bot_id AND b.bucket = n.bucket
            """;
        Add(command, "@slots", slots.Select(Utc).ToArray());
        Add(command, "@newest_bots", newest.Select(n => n.BotId).ToArray());
        Add(command, "@newest_buckets", newest.Select(n => Utc(n.Bucket)).ToArray());
        if (botId is { } bot)
        {
            Add(command, "@bot", bot);
        }

        if (since is { } from)
        {
            Add(command, "@since", Utc(from));
        }

        return command;
    }

    internal override IQueryable<DateTime> FirstSlotsAtOrAfter(BotSocietyDb db, IReadOnlyList<DateTime> grid, int? botId)
    {
        var instants = grid.Select(Utc).ToArray();
        return botId is { } bot
            ? db.Database.SqlQuery<DateTime>($"""
                SELECT DISTINCT (SELECT min(b.bucket) FROM reputation_buckets b WHERE b.bot_id = {bot} AND b.bucket >= g) AS "Value"
                FROM unnest({instants}) AS g
                """)
            : db.Database.SqlQuery<DateTime>($"""
                SELECT DISTINCT (SELECT min(b.bucket) FROM reputation_buckets b WHERE b.bucket >= g) AS "Value"
                FROM unnest({instants}) AS g
                """);
    }

    // A refused or timed-out connection, a wrong password, a database that does not exist: nothing to retry at once.
    internal override bool IsUnreachable(Exception exception) =>
        exception is NpgsqlException { InnerException: SocketException or TimeoutException or IOException }
        || exception is PostgresException { SqlState: "28P01" or "28000" or "3D000" or "57P03" }
        || (exception is NpgsqlException && exception.InnerException is null && exception is not PostgresException);

    internal override string DescribeUnreachable(Exception exception, DatabaseOptions settings)
    {
        var connection = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        var server = $"{connection.Host}:{connection.Port}";
        var cause = exception switch
        {
            PostgresException { SqlState: "28P01" or "28000" } p => $"the server refused user '{connection.Username}' ({p.MessageText})",
            PostgresException { SqlState: "3D000" } p => $"the database does not exist ({p.MessageText})",
            PostgresException p => p.MessageText,
            { InnerException: SocketException s } => s.Message,
            _ => exception.GetBaseException().Message,
        };
        return $"Database:ConnectionString: cannot use PostgreSQL at {server}, database '{connection.Database}': {cause}";
    }

    /// <summary>timestamptz takes UTC instants only; every instant of this app is one, so the kind is only made explicit.</summary>
    private static DateTime Utc(DateTime instant) => DateTime.SpecifyKind(instant, DateTimeKind.Utc);
}
