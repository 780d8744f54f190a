namespace BotSociety.Core.Search;

/// <summary>One search hit: what a bot learns, and where it came from.</summary>
public sealed record SearchResult(string Title, string Snippet, string Source, string Topic, double Score);

/// <summary>Where the <c>search</c> action looks things up. The default is the offline corpus; a web provider can replace it.</summary>
public interface ISearchProvider
{
    /// <summary>A name shown with results (for example <c>offline-corpus</c>).</summary>
    string Name { get; }

    Task<IReadOnlyList<SearchResult>> SearchAsync(string query, int limit, CancellationToken cancellationToken);
}
