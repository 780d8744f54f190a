using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BotSociety.DevHost.Tests.EndToEnd;
using Npgsql;

namespace BotSociety.ScaleOut.Tests;

/// <summary>What the run watches: who holds the timer, whether bots ran, waits, database reads and the processes' output.</summary>
public sealed partial class ScaleOutRun
{
    /// <summary>An activity's <c>details.instance</c> when WEBSITE_INSTANCE_ID is not set: the worker's host name and pid.</summary>
    private static string InstanceOf(DevHostProcess devHost) => $"{Environment.MachineName}:{devHost.LatestWorkerPid()}";

    /// <summary>The devhost whose latest word on the Heartbeat timer's lease is that it holds it.</summary>
    private DevHostProcess? Holder() =>
        new[] { first, second }.SingleOrDefault(d => d is not null && d.Output.Split('\n').LastOrDefault(l => LeaseLine().IsMatch(l))?.Contains(HoldsLease, StringComparison.Ordinal) == true);

    /// <summary>
    /// Every bot has acted, the society has run on past its first round (half as many heartbeats again as bots), and
    /// each instance has written at least its minimum share of the heartbeats.
    /// </summary>
    private async Task<bool> BothShareEveryBotAsync()
    {
        await using var db = await OpenAsync();
        var acted = await ScalarAsync<long>(db, "SELECT count(DISTINCT bot_id) FROM activity_log WHERE details::jsonb ? 'due_at'");
        var shares = await ReadAsync(db, "SELECT details::jsonb->>'instance', count(*) FROM activity_log WHERE details::jsonb ? 'due_at' GROUP BY 1",
            r => (Instance: r.GetString(0), Rows: r.GetInt64(1)));
        var total = shares.Sum(s => s.Rows);
        return acted == Bots && total >= 3 * Bots / 2 && Instances.All(i => shares.Any(s => s.Instance == i && s.Rows >= total * MinimumShare));
    }

    /// <summary>True once every bot claimed by the killed instance has a heartbeat on the survivor after the kill.</summary>
    private async Task<bool> TakenOverAsync()
    {
        if (ClaimsAtKill.Count == 0)
        {
            return true;
        }

        await using var db = await OpenAsync();
        var acted = await ReadAsync(db, """
            SELECT bot_id, extract(epoch FROM min(created_at) - @killed)::float8 FROM activity_log
            WHERE id > @after AND details::jsonb->>'instance' = @survivor AND bot_id = ANY(@bots) GROUP BY bot_id
            """, r => (Bot: r.GetInt32(0), Seconds: r.GetDouble(1)),
            ("killed", killedAt), ("after", LastRowBeforeKill), ("survivor", Survivor), ("bots", ClaimsAtKill.Select(c => c.Bot).ToArray()));
        TakeoverSeconds = acted.ToDictionary(a => a.Bot, a => a.Seconds);
        return acted.Count == ClaimsAtKill.Select(c => c.Bot).Distinct().Count();
    }

    /// <summary>Paused, the queue is empty and no bot is claimed any more.</summary>
    private async Task<bool> DrainedAsync()
    {
        using var health = await survivorHost!.Http.GetAsync(new Uri("/api/health", UriKind.Relative));
        using var json = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        var queue = json.RootElement.GetProperty("queue");
        QueueHealth = queue.GetRawText();
        Pending = queue.GetProperty("pending") is { ValueKind: JsonValueKind.Number } pending ? pending.GetInt64() : null;
        Poison = queue.GetProperty("poison") is { ValueKind: JsonValueKind.Number } poison ? poison.GetInt64() : null;
        await using var db = await OpenAsync();
        var claimed = await ScalarAsync<long>(db, "SELECT count(*) FROM bots WHERE claimed_by IS NOT NULL");
        return Pending == 0 && claimed == 0;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (true) or <paramref name="timeout"/> passes (false).</summary>
    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(250);
        }

        return true;
    }

    /// <summary>Polls a condition on the devhosts' output closely: the moments it waits for last milliseconds.</summary>
    private static async Task<bool> WaitBrieflyAsync(Func<bool> condition, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }

    internal static async Task<T> ScalarAsync<T>(NpgsqlConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(db, sql, parameters);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    internal static async Task<List<T>> ReadAsync<T>(NpgsqlConnection db, string sql, Func<NpgsqlDataReader, T> row, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(db, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(row(reader));
        }

        return rows;
    }

    private static NpgsqlCommand Command(NpgsqlConnection db, string sql, (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, db);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    /// <summary>A devhost's output without the two lines every tick and batch prints, but for the last 40 lines whole.</summary>
    private static string Summarize(string output)
    {
        var lines = output.Split('\n');
        var tail = Math.Max(0, lines.Length - 40);
        var kept = lines.Where((line, i) => i >= tail || !Routine().IsMatch(line)).ToList();
        return $"({lines.Length - kept.Count} routine lines of ticks and batches left out)\n{string.Join('\n', kept)}";
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Timer Heartbeat: (this devhost holds|another devhost holds|lost) the lease")]
    private static partial Regex LeaseLine();

    [GeneratedRegex(@"Tick \d+: \d+ due bots claimed and queued in (?<batches>\d+) batches")]
    private static partial Regex Dispatched();

    [GeneratedRegex(@"\] (Tick \d+: \d+ due(,| bots claimed)|Executed \(Succeeded)")]
    private static partial Regex Routine();
}
