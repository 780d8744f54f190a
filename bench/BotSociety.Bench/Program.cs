using System.Diagnostics;
using System.Globalization;
using BotSociety.Bench;

// BotSociety's command line for simulated time:
//   fast-forward  make a society's history (the demo's starting state) on the offline model
//   heartbeat     the heartbeat benchmark: figures for 1,000 and 10,000 bots
//   sqlite-limit  what raw SQLite commits per second in a heartbeat-shaped transaction (the benchmark's yardstick)
//   roundtrip     HTTP through devhost against the worker's own port (bench/devhost.sh)
//   api           latency of the dashboard's endpoints of a running app (bench/api.sh)
//   drain         how fast a running app works off a burst of due bots (bench/scale.sh)
//   export        rows/s and peak memory of the activity export (JSON Lines, CSV) of a large society
var command = args.FirstOrDefault() ?? "help";
var options = Options.Parse(args.Skip(1).ToArray());
try
{
    return command switch
    {
        "fast-forward" => await FastForward.RunAsync(options),
        "heartbeat" => options.Has("bots") ? await HeartbeatBenchmark.RunAsync(options) : await HeartbeatBenchmark.RunEachSizeAsync(options),
        "sqlite-limit" => await SqliteLimit.RunAsync(options),
        "roundtrip" => await RoundTrip.RunAsync(options),
        "api" => await ApiLatency.RunAsync(options),
        "drain" => await Drain.RunAsync(options),
        "quality" => await Quality.RunAsync(options),
        "export" => await ExportBenchmark.RunAsync(options),
        _ => Help(),
    };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

static int Help()
{
    Console.WriteLine("""
        Usage:
          dotnet run -c Release --project bench/BotSociety.Bench -- fast-forward --db <file> [--days 3] [--bots 8] [--seed 42] [--pace normal] [--end <time>] [--token-cap N]
          dotnet run -c Release --project bench/BotSociety.Bench -- fast-forward --postgres <connection string> [the same options]
              Simulates the society for the given days on the offline model and leaves the result in <file> (or in
              the named PostgreSQL database, which must hold no history yet).
              The virtual clock ends at --end, by default the present moment, so the file can be served live
              afterwards; the same seed, settings and --end give the same society. --token-cap sets the default
              daily token cap for the run (100,000 otherwise).
          dotnet run -c Release --project bench/BotSociety.Bench -- quality (--db <file> | --postgres <connection string>)
              How a society reads (issue 19): search relevance, facts on persona, notes against feelings, repetition, answered threads, distinct people.
          dotnet run -c Release --project bench/BotSociety.Bench -- heartbeat [--bots 1000] [--heartbeats 20000] [--seed 42] [--postgres <server>]
              Measures heartbeats per second, engine overhead per heartbeat (model time excluded), database size
              and peak memory. Without --bots it runs 1,000 and then 10,000 bots, each in its own process. With
              --postgres it runs on a new database on that server (dropped afterwards) instead of a SQLite file.
              On SQLite it then runs sqlite-limit in the same process and prints the engine's share of it.
          dotnet run -c Release --project bench/BotSociety.Bench -- sqlite-limit [--bots 1000] [--heartbeats 20000]
              Heartbeats/s of one raw ADO.NET transaction per heartbeat (insert an activity and a post, upsert the day's
              usage, update two reputations; WAL, synchronous=NORMAL) on the app's schema: the ceiling the engine is
              compared with.
          dotnet run -c Release --project bench/BotSociety.Bench -- roundtrip --via <url> --direct <url> [--requests 500]
              HTTP round trips through devhost and straight to the worker's port (bench/devhost.sh passes both).
          dotnet run -c Release --project bench/BotSociety.Bench -- api [--base http://localhost:7071/] [--requests 200] [--warmup 50]
              p50/p95 latency of each dashboard endpoint of a running app (bench/api.sh makes a 1,000,000-row
              society of 200 bots and serves it first; BENCH_PROVIDER=postgres does it on PostgreSQL).
          dotnet run -c Release --project bench/BotSociety.Bench -- drain (--db <file> | --postgres <connection string>) [--bots N] [--timeout 300] [--label text]
              Against an app running on that database: makes the first N bots (all by default) due at once and waits
              until each has an activity row answering that due time; prints heartbeats/s (bots / seconds from due to
              the last row seen), first row, due-to-done p50/p95 and the rows per instance (bench/scale.sh runs it).
          dotnet run -c Release --project bench/BotSociety.Bench -- drain (--db <file> | --postgres <connection string>) --park true
              Makes nobody due (next heartbeat in 2999), before an app starts on a kept society.
          dotnet run -c Release --project bench/BotSociety.Bench -- export [--rows 1000000]
              Fills a new society's activity log with that many rows, then streams activity.jsonl and activity.csv
              through the endpoint's code into a counting sink: rows/s, MB/s and the peak working set during each.
        """);
    return 1;
}

/// <summary>Command-line options as <c>--name value</c> pairs.</summary>
internal sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value', got '{args[i]}'. Run without arguments for help.");
            }

            values[args[i][2..]] = args[++i];
        }

        return new Options(values);
    }

    public bool Has(string name) => values.ContainsKey(name);

    public string Text(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public double Number(string name, double fallback, double min, double max)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"--{name} must be a number from {min} to {max}; got '{text}'.");
        }

        return value;
    }

    public IEnumerable<string> Forward() => values.SelectMany(v => new[] { "--" + v.Key, v.Value });
}

/// <summary>Figures printed in one consistent format.</summary>
internal static class Report
{
    public static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture) + " ms";

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    public static TimeSpan Percentile(List<TimeSpan> sorted, double p) =>
        sorted.Count == 0 ? TimeSpan.Zero : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    public static long DatabaseBytes(string path) =>
        new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);

    public static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }
}
