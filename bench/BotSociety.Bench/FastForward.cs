using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Bench;

/// <summary>Simulates D days of the society and prints what it made.</summary>
internal static class FastForward
{
    public static async Task<int> RunAsync(Options options)
    {
        var database = BenchDatabase.From(options, "botsociety.db");
        var days = options.Number("days", 3, 0.01, 365);
        var bots = (int)options.Number("bots", 8, 1, 100_000);
        var seed = (long)options.Number("seed", 42, long.MinValue, long.MaxValue);
        var pace = options.Text("pace", "normal");

        // A large history (the API bench's million rows) needs bots that are not capped after 70 heartbeats a day.
        long? tokenCap = options.Has("token-cap") ? (long)options.Number("token-cap", 100_000, 1, long.MaxValue) : null;
        // By default the simulated period ends now, so the history is in the past and a live host continues it;
        // --end pins it, and with the same seed and settings the same end gives the same society.
        var end = options.Has("end")
            ? DateTimeOffset.TryParse(options.Text("end", ""), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var pinned)
                ? pinned.ToUniversalTime()
                : throw new ArgumentException($"--end must be a date and time such as 2026-11-27T12:00:00Z; got '{options.Text("end", "")}'.")
            : TimeProvider.System.GetUtcNow();
        var start = end.AddDays(-days);
        Console.WriteLine($"Fast-forwarding {bots} bots through {days} simulated days ({start:yyyy-MM-dd HH:mm} to {end:yyyy-MM-dd HH:mm} UTC), seed {seed}, pace {pace}, into {database.Describe}");
        await using var society = await SocietyRunner.StartAsync(database, seed, pace, start, tokenCap);
        await society.GrowToAsync(bots, seed);

        var wall = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var nextCompression = start + SocietyRunner.CompressionInterval;
        long heartbeats = 0, failed = 0, capped = 0, summaries = 0;
        var nextReport = start.AddDays(1);
        while (await society.AdvanceToNextDueTickAsync(end))
        {
            var report = await society.Engine.RunTickAsync(CancellationToken.None);
            heartbeats += report.Acted + report.Failed;
            failed += report.Failed;
            capped += report.Capped;
            while (society.Clock.GetUtcNow() >= nextCompression)
            {
                summaries += await society.Compressor.RunAsync(CancellationToken.None);
                nextCompression += SocietyRunner.CompressionInterval;
            }

            if (society.Clock.GetUtcNow() >= nextReport)
            {
                Console.WriteLine($"  {society.Clock.GetUtcNow():yyyy-MM-dd HH:mm}  {heartbeats} heartbeats so far ({wall.Elapsed.TotalSeconds:0.0} s)");
                nextReport = nextReport.AddDays(1);
            }
        }

        wall.Stop();
        await using var db = society.Db();
        var reputations = await db.Bots.OrderByDescending(b => b.ReputationScore).Select(b => new { b.Name, b.ReputationScore }).ToListAsync();
        Console.WriteLine();
        // CPU time beside wall time: on a shared machine the wall clock also counts other programs' work.
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"Simulated {days} days in {wall.Elapsed.TotalSeconds:0.0} s ({cpu.TotalSeconds:0.0} s of CPU): {heartbeats} heartbeats ({heartbeats / wall.Elapsed.TotalSeconds:0}/s, {failed} failed), {capped} skipped at the daily cap, {summaries} memory summaries");
        Console.WriteLine($"Threads {await db.Threads.CountAsync()}, replies {await db.Posts.CountAsync()} ({await db.Posts.CountAsync(p => p.ParentPostId != null)} nested), votes {await db.Votes.CountAsync()}, follows {await db.Follows.CountAsync()}");
        Console.WriteLine($"Warm memories {await db.WarmMemories.CountAsync()}, cold summaries {await db.ColdMemories.CountAsync()}, relationship events {await db.RelationshipEvents.CountAsync()}, usage rows {await db.DailyUsage.CountAsync()}");
        var actions = await db.ActivityLog.GroupBy(a => a.Action).Select(g => new { g.Key, Count = g.Count() }).OrderByDescending(g => g.Count).ToListAsync();
        Console.WriteLine("Actions: " + string.Join(", ", actions.Select(a => $"{a.Key} {a.Count}")));
        Console.WriteLine("Reputation: " + string.Join(", ", reputations.Take(10).Select(r => $"{r.Name} {r.ReputationScore:0.0}")) + (reputations.Count > 10 ? ", …" : ""));
        Console.WriteLine($"Database {Report.Mb(await database.SizeBytesAsync())} at {database.Describe}");

        // The simulated last day is today: bots that spent their budget in it rest until midnight UTC when served live.
        var today = DateOnly.FromDateTime(end.UtcDateTime);
        var cappedToday = await db.Bots.CountAsync(b => b.CappedOn == today);
        if (cappedToday > 0)
        {
            Console.WriteLine($"Note: {cappedToday} of {bots} bots reached today's budget in the simulation and rest until 00:00 UTC when served live;");
            Console.WriteLine("raise it with Usage__DefaultDailyTokenCap in functions/local.settings.json, or per bot with PUT /api/bots/{bot_id}/cost-cap.");
        }
        return 0;
    }
}
