using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using BotSociety.Core.Data;
using BotSociety.Core.Llm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Search;

/// <summary>
/// Brave's Web Search API (<c>GET /res/v1/web/search?q=…&amp;count=…</c>, key in <c>X-Subscription-Token</c>), cached in
/// the database and capped per UTC day. Any failure (no key, cap reached, HTTP error, timeout, unreadable answer) falls
/// back to the offline corpus and says so in the answer's note: a search never fails a heartbeat.
/// </summary>
public sealed partial class BraveWebSearch(
    IHttpClientFactory http,
    OfflineCorpusSearch corpus,
    IDbContextFactory<BotSocietyDb> dbFactory,
    IOptions<SearchOptions> options,
    SecretRedactor redactor,
    TimeProvider time,
    ILogger<BraveWebSearch> logger) : ISearchProvider
{
    public const string HttpClientName = "search";
    public const string ProviderName = "brave-search";

    public string Name => ProviderName;

    public async Task<IReadOnlyList<SearchResult>> SearchAsync(string query, int limit, CancellationToken cancellationToken) =>
        (await AnswerAsync(query, limit, cancellationToken)).Results;

    public async Task<SearchAnswer> AnswerAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.ApiKey))
        {
            return await FallBackAsync(query, limit, "Search:ApiKey is not set", cancellationToken);
        }

        var key = query.Trim().ToLowerInvariant();
        key = key.Length > 400 ? key[..400] : key;
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cached = await db.Set<WebSearchCacheEntry>().AsNoTracking()
            .FirstOrDefaultAsync(e => e.Provider == ProviderName && e.Query == key, cancellationToken);
        if (cached is not null && cached.FetchedAt > now.AddHours(-o.CacheHours))
        {
            var results = JsonSerializer.Deserialize<List<SearchResult>>(cached.ResultsJson, SocietyJson.Options) ?? [];
            return new SearchAnswer(ProviderName, [.. results.Take(limit)], "cached");
        }

        // The request is counted before it is sent (a failed request still used the allowance), in one statement, so
        // searches of one tick running side by side cannot both take the last request of the day.
        var today = DateOnly.FromDateTime(now);
        var counted = o.DailyRequestCap > 0 && await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO web_search_days (provider, day, requests) VALUES ({ProviderName}, {today}, 1)
            ON CONFLICT (provider, day) DO UPDATE SET requests = web_search_days.requests + 1 WHERE web_search_days.requests < {o.DailyRequestCap}
            """, cancellationToken) > 0;
        if (!counted)
        {
            return await FallBackAsync(query, limit, $"the daily web search cap ({o.DailyRequestCap} requests) is reached", cancellationToken);
        }

        List<SearchResult> found;
        try
        {
            found = await FetchAsync(query, limit, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var reason = ex is HttpRequestException { StatusCode: { } status }
                ? $"the web search API answered HTTP {(int)status}"
                : ex is TaskCanceledException ? "the web search API did not answer in time" : "the web search API's answer could not be read";
            LogSearchFailed(redactor.Redact(ex.Message), reason);
            return await FallBackAsync(query, limit, reason, cancellationToken);
        }

        var json = JsonSerializer.Serialize(found, SocietyJson.Options);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO web_search_cache (provider, query, results_json, fetched_at) VALUES ({ProviderName}, {key}, {json}, {now})
            ON CONFLICT (provider, query) DO UPDATE SET results_json = excluded.results_json, fetched_at = excluded.fetched_at
            """, cancellationToken);
        return new SearchAnswer(ProviderName, found);
    }

    private async Task<List<SearchResult>> FetchAsync(string query, int limit, CancellationToken ct)
    {
        var o = options.Value;
        var client = http.CreateClient(HttpClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{o.Endpoint}?q={Uri.EscapeDataString(query)}&count={limit}");
        request.Headers.Add("X-Subscription-Token", o.ApiKey);
        request.Headers.Add("Accept", "application/json");
        using var response = await client.SendAsync(request, timeout.Token);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<BraveResponse>(timeout.Token)
            ?? throw new JsonException("empty answer");
        var results = body.Web?.Results ?? [];
        return
        [
            .. results.Where(r => !string.IsNullOrWhiteSpace(r.Title) && !string.IsNullOrWhiteSpace(r.Url)).Take(limit).Select((r, i) => new SearchResult(
                TextCut.Cut(StripTags(r.Title!), 200), TextCut.Cut(StripTags(r.Description ?? ""), 500), r.Url!, TopicOf(query), limit - i)),
        ];
    }

    private async Task<SearchAnswer> FallBackAsync(string query, int limit, string reason, CancellationToken ct)
    {
        LogFallback(reason);
        return new SearchAnswer(corpus.Name, await corpus.SearchAsync(query, limit, ct), $"web search unavailable ({reason}); used the offline corpus");
    }

    // Brave marks matched words with <strong>; a fact in memory is plain text.
    private static string StripTags(string text) => Tags().Replace(text, "");

    private static string TopicOf(string query)
    {
        var words = query.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? "web" : TextCut.Cut(string.Join(' ', words.Take(3)), 60);
    }

    [System.Text.RegularExpressions.GeneratedRegex("<[^>]+>")]
    private static partial System.Text.RegularExpressions.Regex Tags();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Web search failed ({Reason}): {Error}")]
    private partial void LogSearchFailed(string error, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Web search fell back to the offline corpus: {Reason}")]
    private partial void LogFallback(string reason);

    private sealed record BraveResponse([property: JsonPropertyName("web")] BraveWeb? Web);

    private sealed record BraveWeb([property: JsonPropertyName("results")] List<BraveResult>? Results);

    private sealed record BraveResult(
        [property: JsonPropertyName("title")] string? Title,
        [property: JsonPropertyName("url")] string? Url,
        [property: JsonPropertyName("description")] string? Description);
}
