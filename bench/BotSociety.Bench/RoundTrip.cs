using System.Diagnostics;

namespace BotSociety.Bench;

/// <summary>
/// HTTP round trips through devhost against the same path on the worker's own Kestrel, one keep-alive
/// connection each, interleaved so both see the same machine load.
/// </summary>
internal static class RoundTrip
{
    public static async Task<int> RunAsync(Options options)
    {
        var via = new Uri(options.Text("via", "http://localhost:7071/api/health"));
        var direct = new Uri(options.Text("direct", ""));
        var requests = (int)options.Number("requests", 500, 10, 100_000);
        using var viaClient = new HttpClient();
        using var directClient = new HttpClient();
        var viaTimes = new List<TimeSpan>(requests);
        var directTimes = new List<TimeSpan>(requests);
        int? viaStatus = null, directStatus = null;

        // Warm both paths (connections, JIT) before measuring.
        for (var i = 0; i < 20; i++)
        {
            viaStatus = await TimeAsync(viaClient, via, null);
            directStatus = await TimeAsync(directClient, direct, null);
        }

        for (var i = 0; i < requests; i++)
        {
            await TimeAsync(viaClient, via, viaTimes);
            await TimeAsync(directClient, direct, directTimes);
        }

        viaTimes.Sort();
        directTimes.Sort();
        var viaMedian = Report.Percentile(viaTimes, 0.5);
        var directMedian = Report.Percentile(directTimes, 0.5);
        Console.WriteLine($"{requests} requests each, GET {via.AbsolutePath}");
        Console.WriteLine($"  through devhost   median {Report.Ms(viaMedian)}, p95 {Report.Ms(Report.Percentile(viaTimes, 0.95))} (HTTP {viaStatus})");
        Console.WriteLine($"  worker directly   median {Report.Ms(directMedian)}, p95 {Report.Ms(Report.Percentile(directTimes, 0.95))} (HTTP {directStatus})");
        Console.WriteLine($"  ratio             {viaMedian.TotalMilliseconds / Math.Max(0.001, directMedian.TotalMilliseconds):0.00}x");
        return 0;
    }

    private static async Task<int> TimeAsync(HttpClient client, Uri uri, List<TimeSpan>? times)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(uri);
        await response.Content.ReadAsByteArrayAsync();
        times?.Add(Stopwatch.GetElapsedTime(started));
        return (int)response.StatusCode;
    }
}
