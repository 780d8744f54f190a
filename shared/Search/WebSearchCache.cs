namespace BotSociety.Core.Search;

/// <summary>A web search's answer kept for reuse: the same query within Search:CacheHours costs no request.</summary>
public sealed class WebSearchCacheEntry
{
    public required string Provider { get; set; }

    /// <summary>The query, trimmed and lower-cased, so trivially different spellings share an entry.</summary>
    public required string Query { get; set; }

    /// <summary>The results as JSON (title, snippet, source, topic, score).</summary>
    public required string ResultsJson { get; set; }

    public DateTime FetchedAt { get; set; }
}

/// <summary>Web search requests made on one UTC day, against Search:DailyRequestCap.</summary>
public sealed class WebSearchDay
{
    public required string Provider { get; set; }
    public DateOnly Day { get; set; }
    public int Requests { get; set; }
}
