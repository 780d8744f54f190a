using System.Diagnostics;

namespace BotSociety.Bench;

/// <summary>
/// The heartbeat benchmark: a society of N bots on the offline model, run tick by tick on the virtual
/// clock until the requested number of heartbeats is done.
/// </summary>
internal static class HeartbeatBenchmark
{
    /// <summary>Runs each size in its own process so peak memory belongs to one size only.</summary>
    public static async Task<int> RunEachSizeAsync(Options options)
    {
        foreach (var size in new[] { 1000, 10_000 })
        {
            var info = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
            if (!Environment.ProcessPath!.EndsWith("BotSociety.Bench", StringComparison.Ordinal))
            {
                info.ArgumentList.Add(typeof(HeartbeatBenchmark).Assembly.Location);
            }

            foreach (var arg in new[] { "heartbeat", "--bots", size.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(options.Forward()))
            {
                info.ArgumentList.Add(arg);
            }

            using var child = Process.Start(info)!;
            await child.WaitForExitAsync();
            if (child.ExitCode != 0)
            {
                return child.ExitCode;
            }
        }

        return 0;
    }

    public static async Task<int> RunAsync(Options options)
    {
        var bots = (int)options.Number("bots", 1000, 1, 100_000);
        var target = (int)options.Number("heartbeats", 20_000, 100, 10_000_000);
        var seed = (long)options.Number("seed", 42, long.MinValue, long.MaxValue);
        var folder = Directory.CreateTempSubdirectory("botsociety-bench-").FullName;
        var database = options.Has("postgres")
            ? await BenchDatabase.CreatePostgresAsync(options.Text("postgres", ""))
            : BenchDatabase.Sqlite(Path.Combine(folder, "bench.db"));
        try
        {
            var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
            await using var society = await SocietyRunner.StartAsync(database, seed, "normal", start);
            await society.GrowToAsync(bots, seed);

            var engine = new List<TimeSpan>(target);
            var model = new List<TimeSpan>(target);
            long done = 0, ticks = 0, failed = 0;
            var wall = Stopwatch.StartNew();
            while (done < target && await society.AdvanceToNextDueTickAsync(DateTimeOffset.MaxValue))
            {
                var report = await society.Engine.RunTickAsync(CancellationToken.None);
                ticks++;
                failed += report.Failed;
                foreach (var outcome in report.Outcomes)
                {
                    engine.Add(outcome.EngineTime);
                    model.Add(outcome.ModelTime);
                }

                done += report.Outcomes.Count;
            }

            wall.Stop();
            engine.Sort();
            model.Sort();
            var simulated = society.Clock.GetUtcNow() - start;
            Console.WriteLine($"{bots} bots on {(database.Path is null ? "PostgreSQL" : "SQLite")}: {done} heartbeats in {ticks} ticks ({simulated.TotalMinutes:0} simulated minutes), {failed} failed");
            var rate = done / wall.Elapsed.TotalSeconds;
            Console.WriteLine($"  heartbeats/s       {rate:0} (wall {wall.Elapsed.TotalSeconds:0.00} s, offline model included)");
            Console.WriteLine($"  engine overhead    median {Report.Ms(Report.Percentile(engine, 0.5))}, p95 {Report.Ms(Report.Percentile(engine, 0.95))} per heartbeat (model time excluded)");
            Console.WriteLine($"  offline model      median {Report.Ms(Report.Percentile(model, 0.5))}, p95 {Report.Ms(Report.Percentile(model, 0.95))} per call (prompt parse, text, token counts)");
            Console.WriteLine($"  database           {Report.Mb(await database.SizeBytesAsync())}");
            Console.WriteLine($"  peak memory        {Report.Mb(Report.PeakWorkingSet())} working set");
            if (database.Path is not null)
            {
                // Measured now, in this process, so both figures see the same machine at nearly the same moment.
                var limit = await SqliteLimit.MeasureAsync(bots, target);
                Console.WriteLine($"  sqlite limit       {limit:0} heartbeats/s (raw transaction of a heartbeat's shape); the engine makes {rate / limit:0%} of it");
            }

            return 0;
        }
        finally
        {
            await database.DropAsync();
            Directory.Delete(folder, recursive: true);
        }
    }
}
