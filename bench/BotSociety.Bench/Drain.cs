using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BotSociety.Core;
using BotSociety.Core.Data;
using BotSociety.Core.Simulation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BotSociety.Bench;

/// <summary>
/// Times a running app (bench/scale.sh starts it) draining a burst: it makes bots due at one moment by writing their
/// <c>next_heartbeat_at</c>, then reads the activity log every 100 ms until every one of them has a row answering that
/// due time (<c>details.due_at</c>). A heartbeat counts as done when its row is first seen, that is once committed,
/// so times are up to one poll late; the figures are the same for any database, dispatch and number of instances.
/// </summary>
internal static class Drain
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public static async Task<int> RunAsync(Options options)
    {
        var database = BenchDatabase.Existing(options);
        using var host = BuildHost(database);
        var factory = host.Services.GetRequiredService<IDbContextFactory<BotSocietyDb>>();
        if (options.Has("park"))
        {
            // Before an app starts on a kept society: nobody is due until the bench says so.
            await using var db = await factory.CreateDbContextAsync();
            var parked = await db.Bots.ExecuteUpdateAsync(s => s.SetProperty(b => b.NextHeartbeatAt, new DateTime(2999, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
            Console.WriteLine($"Parked {parked} bots (not due until 2999) in {database.Describe}");
            return 0;
        }

        var count = (int)options.Number("bots", int.MaxValue, 1, int.MaxValue);
        var timeout = TimeSpan.FromSeconds(options.Number("timeout", 300, 1, 3600));
        var label = options.Text("label", "burst");
        var burst = await MakeDueAsync(factory, count);
        if (burst.Bots == 0)
        {
            throw new ArgumentException($"{database.Describe} has no bots that are not paused.");
        }

        var seen = await WaitAsync(factory, burst, timeout);
        Print(label, burst, seen, timeout);
        return seen.Count == burst.Bots ? 0 : 1;
    }

    /// <summary>The society's composition on the bench's database, not started: only its DbContext factory is used.</summary>
    private static IHost BuildHost(BenchDatabase database)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(database.Settings);
        builder.AddBotSocietyCore();
        return builder.Build();
    }

    /// <summary>The bots made due, the moment they are due at, and where the activity log stood then.</summary>
    private sealed record Burst(int Bots, DateTime DueAt, long AfterId, long StartedAt);

    /// <summary>A row that answered the burst: when the poller first saw it, the instance that applied it, its action.</summary>
    private sealed record Done(TimeSpan SeenAfter, string Instance, string Action);

    /// <summary>Makes the first <paramref name="count"/> bots (by id, paused ones left out) due now, in one statement.</summary>
    private static async Task<Burst> MakeDueAsync(IDbContextFactory<BotSocietyDb> factory, int count)
    {
        await using var db = await factory.CreateDbContextAsync();
        var ids = db.Bots.Where(b => !b.IsPaused).OrderBy(b => b.Id).Select(b => b.Id);
        var lastId = await ids.Skip(Math.Max(0, Math.Min(count, await ids.CountAsync()) - 1)).FirstOrDefaultAsync();
        var afterId = await db.ActivityLog.MaxAsync(a => (long?)a.Id) ?? 0;

        // Whole milliseconds: both providers store the value exactly, so due_at in a row compares equal to it.
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var dueAt = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
        var started = Stopwatch.GetTimestamp();
        var made = await db.Bots.Where(b => !b.IsPaused && b.Id <= lastId)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.NextHeartbeatAt, dueAt));
        return new Burst(made, dueAt, afterId, started);
    }

    private static async Task<List<Done>> WaitAsync(IDbContextFactory<BotSocietyDb> factory, Burst burst, TimeSpan timeout)
    {
        var done = new List<Done>(burst.Bots);
        var last = burst.AfterId;
        while (done.Count < burst.Bots && Stopwatch.GetElapsedTime(burst.StartedAt) < timeout)
        {
            await Task.Delay(Poll);
            await using var db = await factory.CreateDbContextAsync();
            var rows = await db.ActivityLog.AsNoTracking().Where(a => a.Id > last).OrderBy(a => a.Id)
                .Select(a => new { a.Id, a.Action, a.Details }).ToListAsync();
            var seenAfter = Stopwatch.GetElapsedTime(burst.StartedAt);
            foreach (var row in rows)
            {
                last = row.Id;
                using var details = JsonDocument.Parse(row.Details);
                var root = details.RootElement;
                if (root.TryGetProperty("due_at", out var due)
                    && DateTime.TryParse(due.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var dueAt)
                    && dueAt.Ticks == burst.DueAt.Ticks)
                {
                    var instance = root.TryGetProperty("instance", out var i) ? i.GetString() ?? "?" : "?";
                    done.Add(new Done(seenAfter, instance, row.Action));
                }
            }
        }

        return done;
    }

    private static void Print(string label, Burst burst, List<Done> done, TimeSpan timeout)
    {
        var times = done.Select(d => d.SeenAfter).Order().ToList();
        var lastSeen = times.Count == 0 ? TimeSpan.Zero : times[^1];
        var rate = times.Count == 0 ? 0 : times.Count / lastSeen.TotalSeconds;
        var failed = done.Count(d => d.Action == ActivityActions.HeartbeatFailed);
        var capped = done.Count(d => d.Action == ActivityActions.UsageCapped);
        var instances = done.GroupBy(d => d.Instance).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}").ToList();
        string S(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {done.Count} of {burst.Bots} bots due at {burst.DueAt:HH:mm:ss.fff} done in {S(lastSeen)} s: {rate:0} heartbeats/s"));
        if (times.Count > 0)
        {
            Console.WriteLine($"  first seen after {S(times[0])} s; due to done p50 {S(Report.Percentile(times, 0.5))} s, p95 {S(Report.Percentile(times, 0.95))} s");
        }

        Console.WriteLine($"  {failed} heartbeat_failed, {capped} usage_capped; per instance: {string.Join(", ", instances)}");
        if (done.Count < burst.Bots)
        {
            Console.WriteLine($"  stopped after {timeout.TotalSeconds:0} s with {burst.Bots - done.Count} bots not done");
        }

        // One line for bench/scale.sh: tab-separated, seconds and counts only.
        Console.WriteLine(string.Join('\t', new[]
        {
            "RESULT", done.Count.ToString(CultureInfo.InvariantCulture), burst.Bots.ToString(CultureInfo.InvariantCulture),
            S(lastSeen), rate.ToString("0", CultureInfo.InvariantCulture),
            times.Count == 0 ? "-" : S(times[0]), times.Count == 0 ? "-" : S(Report.Percentile(times, 0.5)),
            times.Count == 0 ? "-" : S(Report.Percentile(times, 0.95)), failed.ToString(CultureInfo.InvariantCulture),
            done.Count == 0 ? "-" : string.Join(',', done.GroupBy(d => d.Instance).Select(g => g.Count()).OrderDescending()),
        }));
    }
}
