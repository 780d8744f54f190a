using System.Data.Common;
using System.Net.Sockets;
using BotSociety.Core.Search;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BotSociety.Core.Data.Dialects;

/// <summary>
/// PostgreSQL: many instances of the app on one database. Writers of heartbeats take turns on an advisory lock,
/// claims pass over rows another instance holds (<c>SKIP LOCKED</c>), the corpus is searched with FTS5's BM25 over
/// a token table, and list parameters are arrays. Its migrations live in their own assembly, as EF Core documents for several providers.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    public const string MigrationsAssembly = DatabaseOptions.PostgresMigrationsAssembly;

    // Any fixed number, the same in every instance: the key of the society's one writers' lock.
    private const long WritersLockKey = 0x426f74536f6369; // "BotSoci"

    // Another fixed key, for the few seconds one instance migrates while the others wait.
    private const long MigrationsLockKey = WritersLockKey + 1;

    public override string Name => DatabaseOptions.Postgres;

    internal override Task WriteSnapshotAsync(BotSocietyDb db, string file, CancellationToken ct) => Export.SqliteCopy.WriteAsync(db, file, ct);

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

    // A session lock on the context's own connection, opened here so that it stays open (EF Core leaves a connection
    // it did not open alone) until the migrations are done and the lock is given back. Plain ADO.NET, not EF Core's
    // execution strategy, so an unreachable server surfaces as Npgsql's own error, which start reports in one line.
    internal override async Task<IAsyncDisposable> LockMigrationsAsync(BotSocietyDb db, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await AdvisoryAsync(connection, "pg_advisory_lock", ct);
        return new MigrationsLock(connection);
    }

    private static async Task AdvisoryAsync(DbConnection connection, string function, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {function}(@key)";
        Add(command, "@key", MigrationsLockKey);
        await command.ExecuteNonQueryAsync(ct);
    }

    internal override async Task LockWritersAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(@key)";
        Add(command, "@key", WritersLockKey);
        await command.ExecuteNonQueryAsync(ct);
    }

    internal override string SkipLockedRows => " FOR UPDATE SKIP LOCKED";

    internal override string InIds(string column, string parameter) => $"{column} = ANY({parameter})";

    internal override object Ids(IReadOnlyCollection<int> ids) => ids.ToArray();

    /// <summary>
    /// FTS5's bm25 written out in SQL over the tokens <see cref="IndexTokensAsync"/> stores (the same tokenizer as FTS5's):
    /// per query word (two words with one stem count twice, as two FTS5 phrases do), its weighted count in each article
    /// (topic 0.5, title 4, body 1), its IDF over
    /// the articles holding it (floored at 1e-6 as FTS5 does), k1 1.2, b 0.75, and each article's length in tokens
    /// against the average. So both databases rank the same articles the same way.
    /// </summary>
    internal override DbCommand SearchCommand(DbConnection connection, IReadOnlyList<string> terms, int limit)
    {
        var command = connection.CreateCommand();
        command.CommandText = """
            WITH q AS (SELECT term, term_end, phrase FROM unnest(@terms, @ends) WITH ORDINALITY AS p(term, term_end, phrase)),
            hits AS (
                SELECT q.phrase, t.article_id,
                       sum(t.tf * CASE t.col WHEN 1 THEN 0.5 WHEN 2 THEN 4.0 WHEN 3 THEN 1.0 ELSE 0.0 END)::float8 AS freq
                FROM q JOIN corpus_terms t
                  ON t.term ~>=~ q.term AND t.term ~<~ q.term_end AND starts_with(t.term, q.term)
                GROUP BY q.phrase, t.article_id),
            stats AS (SELECT count(*)::float8 AS n, avg(tokens)::float8 AS avgdl FROM corpus_fts),
            idf AS (
                SELECT h.phrase, greatest(ln((s.n - count(*) + 0.5) / (count(*) + 0.5)), 1e-6) AS idf
                FROM hits h CROSS JOIN stats s GROUP BY h.phrase, s.n)
            SELECT d.article_id, d.topic, d.title, d.body,
                   sum(i.idf * (h.freq * 2.2) / (h.freq + 1.2 * (0.25 + 0.75 * d.tokens / s.avgdl))) AS score
            FROM hits h JOIN idf i ON i.phrase = h.phrase JOIN corpus_fts d ON d.article_id = h.article_id CROSS JOIN stats s
            GROUP BY d.article_id, d.topic, d.title, d.body
            ORDER BY score DESC, d.article_id LIMIT @limit
            """;
        var stems = CorpusText.Stems(terms);
        Add(command, "@terms", stems.ToArray());
        Add(command, "@ends", stems.Select(PrefixEnd).ToArray());
        Add(command, "@limit", limit);
        return command;
    }

    /// <summary>
    /// The first string after every string that starts with <paramref name="prefix"/> in code point order (its last
    /// code point plus one), the upper bound of a prefix match written as a range of the terms' index: one short
    /// scan per query word. <c>LIKE term || '%'</c> on a joined column cannot use the index and read every term of the
    /// corpus for each word: 24 ms a search, most of a heartbeat's database time (bench heartbeat, 2,000 bots). A
    /// prefix of U+10FFFF alone, which no word is, gets one more U+10FFFF: nothing sorts after it but its own repeats.
    /// </summary>
    internal static string PrefixEnd(string prefix)
    {
        var runes = prefix.EnumerateRunes().ToList();
        for (var kept = runes.Count - 1; kept >= 0; kept--)
        {
            var next = runes[kept].Value + 1;
            if (next == 0xD800)
            {
                next = 0xE000; // past the surrogates, which are not code points of text
            }

            if (next <= 0x10FFFF)
            {
                return string.Concat(runes.Take(kept).Select(r => r.ToString())) + char.ConvertFromUtf32(next);
            }
        }

        return prefix + char.ConvertFromUtf32(0x10FFFF);
    }

    // An article counts as indexed once its tokens are: a database migrated before the token table is indexed again.
    internal override string IndexedArticlesSql => "SELECT count(*) FROM corpus_fts WHERE tokens > 0";

    /// <summary>Each article's token counts per column (1 topic, 2 title, 3 body) and its length, as FTS5 keeps them.</summary>
    internal override async Task IndexTokensAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<CorpusArticle> articles, CancellationToken ct)
    {
        var (terms, ids, columns, counts, lengths) = (new List<string>(), new List<string>(), new List<short>(), new List<int>(), new List<int>());
        foreach (var article in articles)
        {
            var length = 0;
            // Column 0, the article id, is stored but not searched (FTS5's UNINDEXED): no tokens, no length.
            string[] fields = ["", article.Topic, article.Title, article.Body];
            for (short column = 1; column < fields.Length; column++)
            {
                var tokens = CorpusText.Tokens(fields[column]);
                length += tokens.Count;
                foreach (var group in tokens.GroupBy(t => t.Token, StringComparer.Ordinal))
                {
                    terms.Add(group.Key);
                    ids.Add(article.Id);
                    columns.Add(column);
                    counts.Add(group.Count());
                }
            }

            lengths.Add(length);
        }

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO corpus_terms (term, article_id, col, tf) SELECT * FROM unnest(@terms, @ids, @columns, @counts);
            UPDATE corpus_fts SET tokens = x.length FROM unnest(@articles, @lengths) AS x(id, length) WHERE corpus_fts.article_id = x.id;
            """;
        Add(insert, "@terms", terms.ToArray());
        Add(insert, "@ids", ids.ToArray());
        Add(insert, "@columns", columns.ToArray());
        Add(insert, "@counts", counts.ToArray());
        Add(insert, "@articles", articles.Select(a => a.Id).ToArray());
        Add(insert, "@lengths", lengths.ToArray());
        await insert.ExecuteNonQueryAsync(ct);
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

    // plainto_tsquery ANDs the words, stemmed by the english configuration the index was built with.
    internal override IQueryable<int> ThreadsMatching(BotSocietyDb db, IReadOnlyList<string> terms) =>
        db.Database.SqlQueryRaw<int>(
            "SELECT thread_id AS \"Value\" FROM thread_search WHERE document @@ plainto_tsquery('english', {0})",
            string.Join(" ", terms));

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

    private sealed class MigrationsLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await AdvisoryAsync(connection, "pg_advisory_unlock", CancellationToken.None);
            }
            finally
            {
                // Closing also ends the session, which gives the lock back if the unlock itself failed.
                await connection.CloseAsync();
            }
        }
    }
}
