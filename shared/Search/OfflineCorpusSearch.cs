using System.Globalization;
using BotSociety.Core.Data;
using BotSociety.Core.Data.Dialects;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Search;

/// <summary>
/// Searches the shipped corpus, ranked by BM25 with FTS5's parameters on both databases (SQLite's FTS5 itself; on
/// PostgreSQL the same formula over a token table the dialect fills), with one tokenizer and one snippet in
/// <see cref="CorpusText"/>, so both give the same answers. Each provider's migrations create its <c>corpus_fts</c>.
/// </summary>
public sealed class OfflineCorpusSearch(IDbContextFactory<BotSocietyDb> dbFactory, SqlDialect dialect) : ISearchProvider
{
    public const string SourcePrefix = "offline-corpus/";

    public string Name => "offline-corpus";

    public async Task<IReadOnlyList<SearchResult>> SearchAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var terms = SearchTerms.Of(query);
        if (terms.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = dialect.SearchCommand(db.Database.GetDbConnection(), terms, limit);
        var results = new List<SearchResult>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(new SearchResult(
                Title: reader.GetString(2),
                Snippet: CorpusText.Snippet(reader.GetString(3), terms),
                Source: SourcePrefix + reader.GetString(0),
                Topic: reader.GetString(1),
                // Higher is better on both databases (SQLite's bm25 is negated in its query).
                Score: reader.GetDouble(4)));
        }

        return results;
    }

    /// <summary>
    /// Loads the corpus into the index when it is empty or its article count changed (a new release of the corpus),
    /// inside the caller's transaction.
    /// </summary>
    public static async Task<int> EnsureIndexedAsync(BotSocietyDb db, SqlDialect dialect, System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken)
    {
        var articles = CorpusArticle.LoadEmbedded();
        var connection = db.Database.GetDbConnection();
        await using (var count = connection.CreateCommand())
        {
            count.Transaction = transaction;
            count.CommandText = dialect.IndexedArticlesSql;
            if (Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == articles.Count)
            {
                return 0;
            }
        }

        await using (var clear = connection.CreateCommand())
        {
            clear.Transaction = transaction;
            clear.CommandText = "DELETE FROM corpus_fts";
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO corpus_fts (article_id, topic, title, body) VALUES (@id, @topic, @title, @body)";
        var id = SqlDialect.Add(insert, "@id", "");
        var topic = SqlDialect.Add(insert, "@topic", "");
        var title = SqlDialect.Add(insert, "@title", "");
        var body = SqlDialect.Add(insert, "@body", "");
        foreach (var article in articles)
        {
            (id.Value, topic.Value, title.Value, body.Value) = (article.Id, article.Topic, article.Title, article.Body);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await dialect.IndexTokensAsync(connection, transaction, articles, cancellationToken);
        return articles.Count;
    }
}
