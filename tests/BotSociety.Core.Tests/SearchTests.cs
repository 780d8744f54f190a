using BotSociety.Core.Data;
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
        Assert.Equal(8, await db.Bots.CountAsync());
        Assert.Equal(CorpusArticle.LoadEmbedded().Count, await CorpusRowsAsync(db));
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
        Assert.Equal(0, await IndexAsync(db));

        // A changed corpus (here: an article missing from the index) is indexed again, in full.
        await db.Database.ExecuteSqlRawAsync("DELETE FROM corpus_fts WHERE article_id = 'tea-06'");
        Assert.Equal(articles.Count - 1, await CorpusRowsAsync(db));
        Assert.Equal(articles.Count, await IndexAsync(db));
        Assert.Equal(articles.Count, await CorpusRowsAsync(db));
        var search = society.Services.GetRequiredService<ISearchProvider>();
        Assert.Contains(await search.SearchAsync("oolong gongfu", 3, CancellationToken.None), r => r.Source == "offline-corpus/tea-06");
    }

    /// <summary>Indexes the corpus in a transaction of its own, as start does inside its own.</summary>
    private static async Task<int> IndexAsync(BotSocietyDb db)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var indexed = await OfflineCorpusSearch.EnsureIndexedAsync(db, transaction.GetDbTransaction(), CancellationToken.None);
        await transaction.CommitAsync();
        return indexed;
    }

    private static Task<int> CorpusRowsAsync(BotSocietyDb db) =>
        db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM corpus_fts").SingleAsync();
}
