using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BotSociety.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Search;

/// <summary>
/// Searches the shipped corpus with SQLite FTS5, ranked by bm25. This class and the migration that creates
/// <c>corpus_fts</c> are the only SQLite-specific SQL of the app: a PostgreSQL deployment swaps this provider.
/// </summary>
public sealed partial class OfflineCorpusSearch(IDbContextFactory<BotSocietyDb> dbFactory) : ISearchProvider
{
    public const string SourcePrefix = "offline-corpus/";

    public string Name => "offline-corpus";

    public async Task<IReadOnlyList<SearchResult>> SearchAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var match = ToMatchExpression(query);
        if (match.Length == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT article_id, topic, title, snippet(corpus_fts, 3, '', '', '…', 24), bm25(corpus_fts, 0.0, 0.5, 4.0, 1.0)
            FROM corpus_fts WHERE corpus_fts MATCH $match
            ORDER BY bm25(corpus_fts, 0.0, 0.5, 4.0, 1.0), article_id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$limit", limit);
        var results = new List<SearchResult>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(new SearchResult(
                Title: reader.GetString(2),
                Snippet: reader.GetString(3),
                Source: SourcePrefix + reader.GetString(0),
                Topic: reader.GetString(1),
                // bm25 is lower-is-better and negative; flip it so a higher score reads as a better match.
                Score: -reader.GetDouble(4)));
        }

        return results;
    }

    /// <summary>Loads the corpus into the index when it is empty or its article count changed (a new release of the corpus).</summary>
    public static async Task<int> EnsureIndexedAsync(BotSocietyDb db, CancellationToken cancellationToken)
    {
        var articles = CorpusArticle.LoadEmbedded();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using (var count = connection.CreateCommand())
            {
                count.CommandText = "SELECT count(*) FROM corpus_fts";
                if (Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == articles.Count)
                {
                    return 0;
                }
            }

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using (var clear = connection.CreateCommand())
            {
                clear.Transaction = transaction;
                clear.CommandText = "DELETE FROM corpus_fts";
                await clear.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO corpus_fts (article_id, topic, title, body) VALUES ($id, $topic, $title, $body)";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var topic = insert.Parameters.Add("$topic", SqliteType.Text);
            var title = insert.Parameters.Add("$title", SqliteType.Text);
            var body = insert.Parameters.Add("$body", SqliteType.Text);
            foreach (var article in articles)
            {
                (id.Value, topic.Value, title.Value, body.Value) = (article.Id, article.Topic, article.Title, article.Body);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return articles.Count;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Turns free text into a safe FTS5 expression: words become quoted prefix terms joined by OR, so
    /// model-written queries can never inject FTS syntax and partial words still match.
    /// </summary>
    internal static string ToMatchExpression(string query)
    {
        var terms = Word().Matches(query.ToLowerInvariant())
            .Select(m => m.Value)
            .Where(w => w.Length > 1 && !StopWords.Contains(w))
            .Distinct()
            .Take(12)
            .ToList();
        var builder = new StringBuilder();
        foreach (var term in terms)
        {
            if (builder.Length > 0)
            {
                builder.Append(" OR ");
            }

            builder.Append('"').Append(term).Append("\"*");
        }

        return builder.ToString();
    }

    private static readonly HashSet<string> StopWords =
        ["the", "and", "for", "with", "what", "how", "why", "are", "is", "of", "to", "in", "on", "a", "an", "does", "do", "about"];

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
