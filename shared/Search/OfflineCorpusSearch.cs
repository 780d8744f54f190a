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

        // BM25 ranks any article holding any one of the words (prefixes, joined by OR); a few more candidates than asked
        // for are read so that the relevance check below can drop some and still fill the answer.
        await using var command = dialect.SearchCommand(db.Database.GetDbConnection(), terms, limit * CandidatesPerResult);
        var results = new List<SearchResult>();

        // Hits holding only some of the words: the answer when no article holds enough of them ("how do queues scale"
        // finds the article on queues), as a person takes the nearest article when none answers the whole question.
        // Only when the corpus knows every word, though: a word no candidate holds ("rainwater") puts the question
        // outside the corpus, and an article sharing the other word (tea "harvesting") would answer something else.
        var partial = new List<SearchResult>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        var stems = CorpusText.Stems(terms).ToHashSet(StringComparer.Ordinal);
        var needed = RequiredMatches(stems.Count);
        double? best = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken) && results.Count < limit)
        {
            var (title, body) = (reader.GetString(2), reader.GetString(3));

            // Higher is better on both databases (SQLite's bm25 is negated in its query).
            var score = reader.GetDouble(4);
            best ??= score;

            // Relevant means: close to the best hit's score, and holding enough of the query's own words (whole words,
            // stemmed), not only a prefix of one ("intervals" in music is not "confidence intervals").
            var held = CorpusText.Tokens(title + " " + body).Select(t => t.Token).Where(stems.Contains).ToHashSet(StringComparer.Ordinal);
            known.UnionWith(held);
            var matched = held.Count;
            if (score < best.Value * MinScoreShareOfBest || matched == 0 || (matched < needed && partial.Count >= limit))
            {
                continue;
            }

            (matched < needed ? partial : results).Add(new SearchResult(
                Title: title,
                Snippet: CorpusText.Snippet(body, terms),
                Source: SourcePrefix + reader.GetString(0),
                Topic: reader.GetString(1),
                Score: score));
        }

        return results.Count > 0 || known.Count < stems.Count ? results : partial;
    }

    /// <summary>Candidates read for each result asked for, so dropped ones can be replaced by the next relevant hit.</summary>
    private const int CandidatesPerResult = 4;

    /// <summary>A hit scoring under this share of the best hit's score is noise beside it.</summary>
    private const double MinScoreShareOfBest = 0.35;

    /// <summary>How many of a query's distinct words a result must hold: every one of two, at least half of more.</summary>
    internal static int RequiredMatches(int words) => words <= 2 ? words : (words + 1) / 2;

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
