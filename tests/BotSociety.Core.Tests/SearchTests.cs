using BotSociety.Core.Data;
using BotSociety.Core.Data.Dialects;
using BotSociety.Core.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace BotSociety.Core.Tests;

public sealed class SearchTests
{
    [Fact]
    public async Task DatabaseQueryFindsTheDatabasesArticleFirst()
    {
        await using var society = await TestSociety.StartAsync();
        var search = society.Services.GetRequiredService<ISearchProvider>();

        var results = await search.SearchAsync("write-ahead logging", 3, CancellationToken.None);

        Assert.NotEmpty(results);
        Assert.StartsWith("offline-corpus/databases-", results[0].Source, StringComparison.Ordinal);
        Assert.Equal("databases", results[0].Topic);
        Assert.Contains("Write-Ahead Logging", results[0].Title, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(results[0].Snippet));
        Assert.Equal("offline-corpus", search.Name);
        Assert.True(results.Zip(results.Skip(1)).All(p => p.First.Score >= p.Second.Score), "best match first");
    }

    [Fact]
    public async Task AstronomyQueryFindsAnAstronomyArticleFirst()
    {
        await using var society = await TestSociety.StartAsync();
        var search = society.Services.GetRequiredService<ISearchProvider>();

        var results = await search.SearchAsync("meteor showers", 5, CancellationToken.None);

        Assert.NotEmpty(results);
        Assert.Equal("astronomy", results[0].Topic);
        Assert.StartsWith("offline-corpus/astronomy-", results[0].Source, StringComparison.Ordinal);
        Assert.Contains("Meteor", results[0].Title, StringComparison.Ordinal);
        Assert.True(results.Count <= 5);
    }

    [Theory]
    [InlineData("\"tea\" OR NEAR(x) *")]
    [InlineData("' DROP TABLE bots; --")]
    [InlineData("title:tea AND body:^green")]
    [InlineData("\"unbalanced")]
    [InlineData("*** () -- ;")]
    [InlineData("the and of")]
    [InlineData("")]
    public async Task QueryFullOfSearchSyntaxIsReadAsWords(string query)
    {
        await using var society = await TestSociety.StartAsync();
        var search = society.Services.GetRequiredService<ISearchProvider>();

        var results = await search.SearchAsync(query, 3, CancellationToken.None);

        Assert.True(results.Count <= 3);
        Assert.All(results, r => Assert.StartsWith(OfflineCorpusSearch.SourcePrefix, r.Source, StringComparison.Ordinal));
        await using var db = society.Db();
        Assert.Equal(16, await db.Bots.CountAsync());
        Assert.Equal(CorpusArticle.LoadEmbedded().Count, await CorpusRowsAsync(db));
    }

    [Theory]
    [InlineData("tea", "teb")]
    [InlineData("caf\u00e9", "caf\u00ea")]
    [InlineData("z", "{")]
    [InlineData("a\U0010FFFF", "b")]
    [InlineData("\uD7FF", "\uE000")]
    [InlineData("\U0010FFFF", "\U0010FFFF\U0010FFFF")]
    public void APrefixMatchEndsJustAfterTheLastStringWithThePrefix(string prefix, string end)
    {
        // PostgreSQL's search matches a prefix as the index range [prefix, end): every word starting with the prefix
        // sorts inside it, in code point order (text_pattern_ops compares UTF-8 bytes, which keeps that order).
        Assert.Equal(end, PostgresDialect.PrefixEnd(prefix));
        foreach (var word in (string[])[prefix, prefix + "a", prefix + "\u00ff", prefix + "\uFFFD"])
        {
            Assert.True(string.CompareOrdinal(word, end) < 0 || end.StartsWith(prefix, StringComparison.Ordinal), word);
        }
    }

    [Fact]
    public async Task SyntaxAroundRealWordsStillFindsThem()
    {
        await using var society = await TestSociety.StartAsync();
        var search = society.Services.GetRequiredService<ISearchProvider>();

        var results = await search.SearchAsync("\"oolong\" OR NEAR(gongfu) *", 3, CancellationToken.None);

        Assert.NotEmpty(results);
        Assert.Equal("tea", results[0].Topic);
    }

    [Fact]
    public async Task EveryCorpusArticleIsIndexed()
    {
        await using var society = await TestSociety.StartAsync();
        var articles = CorpusArticle.LoadEmbedded();
        Assert.Equal(300, articles.Count);
        Assert.Equal(articles.Count, articles.Select(a => a.Id).Distinct().Count());

        await using var db = society.Db();
        Assert.Equal(articles.Count, await CorpusRowsAsync(db));
        Assert.Equal(0, await IndexAsync(db, society.Services.GetRequiredService<SqlDialect>()));

        // A changed corpus (here: an article missing from the index) is indexed again, in full.
        await db.Database.ExecuteSqlRawAsync("DELETE FROM corpus_fts WHERE article_id = 'tea-06'");
        Assert.Equal(articles.Count - 1, await CorpusRowsAsync(db));
        Assert.Equal(articles.Count, await IndexAsync(db, society.Services.GetRequiredService<SqlDialect>()));
        Assert.Equal(articles.Count, await CorpusRowsAsync(db));
        var search = society.Services.GetRequiredService<ISearchProvider>();
        Assert.Contains(await search.SearchAsync("oolong gongfu", 3, CancellationToken.None), r => r.Source == "offline-corpus/tea-06");
    }

    [Fact]
    public async Task TheTokenizerIsFts5sOwnOnEveryWordOfTheCorpus()
    {
        // FTS5's index of the corpus, token by token, is the reference PostgreSQL's search is built on.
        await using var society = await TestSociety.StartAsync(onSqlite: true);
        await using var db = society.Db();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE VIRTUAL TABLE temp.corpus_tokens USING fts5vocab(main, corpus_fts, 'instance');
            SELECT f.article_id, v.col, v.term FROM temp.corpus_tokens v JOIN corpus_fts f ON f.rowid = v.doc ORDER BY f.article_id, v.col, v.offset
            """;
        var indexed = new Dictionary<(string, string), List<string>>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var key = (reader.GetString(0), reader.GetString(1));
                indexed[key] = indexed.GetValueOrDefault(key) ?? [];
                indexed[key].Add(reader.GetString(2));
            }
        }

        var tokens = 0;
        foreach (var article in CorpusArticle.LoadEmbedded())
        {
            foreach (var (column, text) in (ReadOnlySpan<(string, string)>)[("topic", article.Topic), ("title", article.Title), ("body", article.Body)])
            {
                var ours = CorpusText.Tokens(text).Select(t => t.Token).ToList();
                Assert.Equal(indexed.GetValueOrDefault((article.Id, column)) ?? [], ours);
                tokens += ours.Count;
            }
        }

        Assert.True(tokens > 30_000, $"the corpus has {tokens} tokens");
    }

    [Fact]
    public async Task TheSearchAnswersAlikeOnSqliteAndOnTheSuitesDatabase()
    {
        // In ./test.sh's PostgreSQL run the suite's database is PostgreSQL: the same query gives the same articles in
        // the same order with the same snippets as SQLite's FTS5 (in the SQLite run, two societies agree). Every query
        // here is one the corpus answers ("retro games" no longer is: no article holds "retro"), so none agrees vacuously.
        await using var sqlite = await TestSociety.StartAsync(onSqlite: true);
        await using var suite = await TestSociety.StartAsync();
        var reference = sqlite.Services.GetRequiredService<ISearchProvider>();
        var other = suite.Services.GetRequiredService<ISearchProvider>();
        var queries = CorpusArticle.LoadEmbedded().Where((_, i) => i % 3 == 0).Select(a => a.Title)
            .Concat(["oolong gongfu", "how do queues scale", "black holes", "chess openings", "climate policy carbon", "board game strategy", "unit tests and test doubles"])
            .ToList();

        foreach (var query in queries)
        {
            var expected = await reference.SearchAsync(query, 3, CancellationToken.None);
            var actual = await other.SearchAsync(query, 3, CancellationToken.None);

            Assert.True(expected.Count > 0, $"no answer to \"{query}\"");
            Assert.Equal(expected.Select(r => (r.Source, r.Title, r.Topic, r.Snippet)), actual.Select(r => (r.Source, r.Title, r.Topic, r.Snippet)));
            Assert.Equal(expected.Select(r => r.Score), actual.Select(r => r.Score), (a, b) => Math.Abs(a - b) < 1e-9);
        }
    }

    /// <summary>Indexes the corpus in a transaction of its own, as start does inside its own.</summary>
    private static async Task<int> IndexAsync(BotSocietyDb db, SqlDialect dialect)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var indexed = await OfflineCorpusSearch.EnsureIndexedAsync(db, dialect, transaction.GetDbTransaction(), CancellationToken.None);
        await transaction.CommitAsync();
        return indexed;
    }

    private static Task<int> CorpusRowsAsync(BotSocietyDb db) =>
        db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM corpus_fts").SingleAsync();
}
