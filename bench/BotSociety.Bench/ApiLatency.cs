using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace BotSociety.Bench;

/// <summary>
/// Latency of each endpoint the dashboard calls, through devhost and the real worker, against whatever society
/// the app serves (bench/api.sh serves a fast-forwarded one of 200 bots and a million activity rows). Requests
/// go round-robin over the endpoints, one keep-alive connection, so every endpoint sees the same load.
/// </summary>
internal static class ApiLatency
{
    private const double TargetP95Ms = 20;

    public static async Task<int> RunAsync(Options options)
    {
        var root = new Uri(options.Text("base", "http://localhost:7071/"));
        var requests = (int)options.Number("requests", 200, 10, 100_000);
        // Steady state: .NET first runs a method as quickly jitted code and recompiles it optimized after 30 calls,
        // in the background. With 10 warm-up rounds that recompiling fell inside the measured rounds and was most of
        // their p95 (a second run against the same worker: /api/stats 22 → 13 ms), so 50 rounds come first.
        var warmup = (int)options.Number("warmup", 50, 0, 10_000);
        using var client = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(60) };

        using var stats = await JsonAsync(client, "/api/stats");
        var totals = stats.RootElement.GetProperty("totals");
        using var threads = await JsonAsync(client, "/api/threads?limit=1");
        using var bots = await JsonAsync(client, "/api/bots?limit=200");
        var botIds = bots.RootElement.GetProperty("items").EnumerateArray().Select(b => b.GetProperty("id").GetInt32()).ToList();
        var bot = botIds[botIds.Count / 2];
        var thread = threads.RootElement.GetProperty("items")[0].GetProperty("id").GetInt32();
        var hourAgo = TimeProvider.System.GetUtcNow().AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

        Console.WriteLine($"Society at {root}: {totals.GetProperty("bots").GetInt32():N0} bots, {totals.GetProperty("activities").GetInt64():N0} activity rows, "
            + $"{totals.GetProperty("threads").GetInt32():N0} threads, {totals.GetProperty("posts").GetInt32():N0} replies, {totals.GetProperty("votes").GetInt32():N0} votes");
        Console.WriteLine($"{requests} requests per endpoint, round-robin, after {warmup} warm-up rounds; bot {bot}, thread {thread}. Target: p95 <= {TargetP95Ms} ms.");
        Console.WriteLine();

        string[] paths =
        [
            "/api/bots", $"/api/bots/{bot}", "/api/activity?limit=50", $"/api/activity?bot={bot}&limit=50", "/api/activity?action=reply&limit=50",
            $"/api/activity?since={hourAgo}&limit=50", "/api/threads?limit=20", $"/api/threads/{thread}", "/api/votes?limit=50",
            $"/api/votes?thread_id={thread}", $"/api/bots/{bot}/followers", $"/api/bots/{bot}/following", "/api/stats", "/api/stats/usage",
            "/api/stats/reputation-history", $"/api/stats/reputation-history?bot_id={bot}", $"/api/bots/{bot}/memory", $"/api/bots/{bot}/memory/warm",
            $"/api/bots/{bot}/memory/cold", $"/api/bots/{bot}/config", $"/api/bots/{bot}/config/history", "/api/pace", "/api/health",
        ];
        var times = paths.ToDictionary(p => p, _ => new List<TimeSpan>(requests));
        var statuses = paths.ToDictionary(p => p, _ => 0);
        var sizes = paths.ToDictionary(p => p, _ => 0L);
        for (var round = -warmup; round < requests; round++)
        {
            foreach (var path in paths)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                var body = await response.Content.ReadAsByteArrayAsync();
                var elapsed = Stopwatch.GetElapsedTime(started);
                statuses[path] = (int)response.StatusCode;
                sizes[path] = body.Length;
                if (round >= 0)
                {
                    times[path].Add(elapsed);
                }
            }
        }

        Console.WriteLine($"{"endpoint",-52} {"p50",9} {"p95",9} {"max",9} {"bytes",9}  status");
        var over = 0;
        foreach (var path in paths)
        {
            var sorted = times[path];
            sorted.Sort();
            var p95 = Report.Percentile(sorted, 0.95);
            var flag = p95.TotalMilliseconds > TargetP95Ms ? "  OVER TARGET" : "";
            over += flag.Length > 0 ? 1 : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{path,-52} {Ms(Report.Percentile(sorted, 0.5)),9} {Ms(p95),9} {Ms(sorted[^1]),9} {sizes[path],9:N0}  {statuses[path]}{flag}"));
        }

        Console.WriteLine();
        Console.WriteLine(over == 0 ? $"Every endpoint's p95 is within {TargetP95Ms} ms." : $"{over} endpoint(s) over the {TargetP95Ms} ms p95 target.");
        return statuses.Values.All(s => s == 200) ? 0 : 1;
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    private static async Task<JsonDocument> JsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
