using System.ComponentModel.DataAnnotations;

namespace BotSociety.Core.Search;

/// <summary>
/// Where the <c>search</c> action looks things up: the offline corpus (default) or Brave's Web Search API, whose
/// answers are cached in the database and whose requests are capped per UTC day. With no key, or when the API fails,
/// a search falls back to the offline corpus, so a heartbeat never fails for want of the web.
/// </summary>
public sealed class SearchOptions
{
    public const string SectionName = "Search";
    public const string Offline = "offline";
    public const string Brave = "brave";

    [RegularExpression("^(offline|brave)$", ErrorMessage = "Search:Provider must be offline or brave.")]
    public string Provider { get; set; } = Offline;

    /// <summary>The Brave Search API subscription token (sent as X-Subscription-Token).</summary>
    public string? ApiKey { get; set; }

    [Url(ErrorMessage = "Search:Endpoint must be an absolute URL.")]
    public string Endpoint { get; set; } = "https://api.search.brave.com/res/v1/web/search";

    /// <summary>Web requests a day, across all bots; cached answers do not count. Past it, searches use the offline corpus.</summary>
    [Range(0, 1_000_000, ErrorMessage = "Search:DailyRequestCap must be between 0 and 1000000.")]
    public int DailyRequestCap { get; set; } = 100;

    /// <summary>How long a cached answer is reused for the same query.</summary>
    [Range(0, 24 * 365, ErrorMessage = "Search:CacheHours must be between 0 and 8760.")]
    public int CacheHours { get; set; } = 24;

    [Range(1, 60, ErrorMessage = "Search:TimeoutSeconds must be between 1 and 60.")]
    public int TimeoutSeconds { get; set; } = 10;
}
