namespace BotSociety.Core.Search;

/// <summary>One search hit: what a bot learns, and where it came from.</summary>
public sealed record SearchResult(string Title, string Snippet, string Source, string Topic, double Score);

/// <summary>The results of one search and the provider that gave them; <c>Note</c> says why a web search fell back, if it did.</summary>
public sealed record SearchAnswer(string Provider, IReadOnlyList<SearchResult> Results, string? Note = null);

/// <summary>Where the <c>search</c> action looks things up. The default is the offline corpus; a web provider can replace it.</summary>
public interface ISearchProvider
{
    /// <summary>A name shown with results (for example <c>offline-corpus</c>).</summary>
    string Name { get; }

    Task<IReadOnlyList<SearchResult>> SearchAsync(string query, int limit, CancellationToken cancellationToken);

    /// <summary>Searches and says which provider answered (a web provider may fall back to the corpus).</summary>
    async Task<SearchAnswer> AnswerAsync(string query, int limit, CancellationToken cancellationToken) =>
        new(Name, await SearchAsync(query, limit, cancellationToken));
}
