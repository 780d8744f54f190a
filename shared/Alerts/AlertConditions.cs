using System.Globalization;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Reputation;
using BotSociety.Core.Simulation;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Alerts;

/// <summary>A rule's condition holding for one bot (<see cref="AlertEvaluator.SocietyWide"/> for the society), in words.</summary>
internal sealed record AlertFinding(int BotId, string? BotName, string Message, double? Baseline = null);

/// <summary>
/// The per-bot conditions of the rule kinds at one moment, read from the database: which bots each rule holds for
/// now. A rule that names a bot looks at that bot alone. Each query reads what an index serves: the activity log by
/// (action, created_at), today's usage by day, reputation buckets by bot.
/// </summary>
internal sealed class AlertConditions(BotSocietyDb db, UsageOptions usage, DateTime now)
{
    // Cap statuses are read once per scope (every bot, or one) for all the usage rules of an evaluation.
    private readonly Dictionary<int, IReadOnlyList<(Bot Bot, CapStatus Caps)>> caps = [];

    /// <summary>The bots <paramref name="rule"/> holds for now, by bot id; none for a kind this class does not evaluate.</summary>
    public async Task<IReadOnlyDictionary<int, AlertFinding>> HoldingAsync(AlertRule rule, CancellationToken ct)
    {
        IEnumerable<AlertFinding> found = rule.Kind switch
        {
            AlertKinds.HeartbeatFailed => await FailedAsync(rule, ct),
            AlertKinds.UsageCapped => (await CapsAsync(rule.BotId, ct)).Where(c => c.Caps.IsCapped)
                .Select(c => new AlertFinding(c.Bot.Id, c.Bot.Name, $"{c.Bot.Name} is capped for today: {c.Caps.Reason}")),
            AlertKinds.Spend => (await CapsAsync(rule.BotId, ct)).Select(c => Spent(c.Bot, c.Caps, rule.Percent!.Value)).OfType<AlertFinding>(),
            AlertKinds.ReputationDrop => await DroppedAsync(rule, ct),
            _ => [],
        };
        return found.ToDictionary(f => f.BotId);
    }

    /// <summary>heartbeat_failed: at least <c>count</c> failed heartbeats within the window.</summary>
    private async Task<IEnumerable<AlertFinding>> FailedAsync(AlertRule rule, CancellationToken ct)
    {
        var since = now.AddMinutes(-rule.WindowMinutes!.Value);
        var failures = db.ActivityLog.Where(a => a.Action == ActivityActions.HeartbeatFailed && a.CreatedAt >= since && a.BotId != null);
        if (rule.BotId is { } only)
        {
            failures = failures.Where(a => a.BotId == only);
        }

        var least = rule.Count!.Value;
        var counts = await failures.GroupBy(a => a.BotId!.Value)
            .Select(g => new { BotId = g.Key, Count = g.Count() })
            .Where(c => c.Count >= least)
            .ToListAsync(ct);
        if (counts.Count == 0)
        {
            return [];
        }

        var ids = counts.Select(c => c.BotId).ToList();
        var bots = await db.Bots.Where(b => ids.Contains(b.Id)).Select(b => new { b.Id, b.Name, b.LastFailureKind }).ToDictionaryAsync(b => b.Id, ct);
        return counts.Where(c => bots.ContainsKey(c.BotId)).Select(c =>
        {
            var bot = bots[c.BotId];
            var why = bot.LastFailureKind is { } kind ? $" ({kind})" : "";
            return new AlertFinding(bot.Id, bot.Name, Invariant(
                $"{bot.Name}: {c.Count} {Plural(c.Count, "heartbeat")} failed in the last {Minutes(rule.WindowMinutes.Value)}{why}"));
        });
    }

    /// <summary>
    /// Today's cap status of the bots in scope that can be at a cap: those that spent anything today, and those whose
    /// cost cap is zero (capped before they spend). The rule itself is <see cref="UsageCaps.Evaluate"/>, as the tick's.
    /// </summary>
    private async Task<IReadOnlyList<(Bot Bot, CapStatus Caps)>> CapsAsync(int? botId, CancellationToken ct)
    {
        var key = botId ?? AlertEvaluator.SocietyWide;
        if (caps.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var today = DateOnly.FromDateTime(now);
        var zeroByDefault = usage.DefaultDailyCostCapUsd <= 0;
        var bots = db.Bots.AsNoTracking()
            .Where(b => db.DailyUsage.Any(u => u.BotId == b.Id && u.Day == today) || b.DailyCostCapUsd <= 0 || (zeroByDefault && b.DailyCostCapUsd == null));
        var spent = db.DailyUsage.AsNoTracking().Where(u => u.Day == today);
        if (botId is { } only)
        {
            bots = bots.Where(b => b.Id == only);
            spent = spent.Where(u => u.BotId == only);
        }

        var usageByBot = await spent.ToDictionaryAsync(u => u.BotId, ct);
        IReadOnlyList<(Bot, CapStatus)> found = [.. (await bots.ToListAsync(ct)).Select(b => (b, UsageCaps.Evaluate(b, usageByBot.GetValueOrDefault(b.Id), usage)))];
        caps[key] = found;
        return found;
    }

    /// <summary>spend: today's tokens or cost at <paramref name="percent"/> % of its cap or more; the larger share is named.</summary>
    private static AlertFinding? Spent(Bot bot, CapStatus status, double percent)
    {
        // Compared multiplied out, so 90 000 of 100 000 tokens is 90 % exactly, whatever the division rounds to.
        var tokens = status.TokensToday * 100.0 >= percent * status.TokenCap;
        var cost = status.CostTodayUsd * 100.0 >= percent * status.CostCapUsd;
        if (!tokens && !cost)
        {
            return null;
        }

        var tokenShare = status.TokenCap > 0 ? (double)status.TokensToday / status.TokenCap : 1;
        var costShare = status.CostCapUsd > 0 ? status.CostTodayUsd / status.CostCapUsd : 1;
        return new AlertFinding(bot.Id, bot.Name, tokens && (!cost || tokenShare >= costShare)
            ? Invariant($"{bot.Name}: {Math.Round(tokenShare * 100)}% of the daily token cap spent ({status.TokensToday}/{status.TokenCap} tokens)")
            : Invariant($"{bot.Name}: {Math.Round(costShare * 100)}% of the daily cost cap spent (${status.CostTodayUsd:0.00}/${status.CostCapUsd:0.00})"));
    }

    /// <summary>
    /// reputation_drop: the highest score within the window, or just before it, minus the score now, is at least
    /// <c>points</c>. The window's scores are the ten-minute buckets the heartbeats keep (<see cref="ReputationBucket"/>);
    /// the score before it is the latest bucket recorded earlier; the score now is the bot's own, which votes of others
    /// move between its heartbeats.
    /// </summary>
    private async Task<IEnumerable<AlertFinding>> DroppedAsync(AlertRule rule, CancellationToken ct)
    {
        var since = now.AddMinutes(-rule.WindowMinutes!.Value);
        var first = ReputationBucket.BucketOf(since);
        var bots = db.Bots.AsNoTracking();
        if (rule.BotId is { } only)
        {
            bots = bots.Where(b => b.Id == only);
        }

        var scores = await bots.Select(b => new
        {
            b.Id,
            b.Name,
            b.ReputationScore,
            Peak = db.ReputationBuckets.Where(r => r.BotId == b.Id && r.Bucket >= first && r.At >= since).Max(r => (double?)r.Score),
            Before = db.ReputationBuckets.Where(r => r.BotId == b.Id && r.Bucket <= first && r.At < since)
                .OrderByDescending(r => r.Bucket).Select(r => (double?)r.Score).FirstOrDefault(),
        }).ToListAsync(ct);
        var points = rule.Points!.Value;
        return scores
            .Select(s => (s.Id, s.Name, Now: s.ReputationScore, High: Math.Max(s.Peak ?? double.MinValue, s.Before ?? double.MinValue)))
            .Where(s => s.High - s.Now >= points)
            .Select(s => new AlertFinding(s.Id, s.Name, Invariant(
                $"{s.Name}: reputation fell {s.High - s.Now:0.##} points in the last {Minutes(rule.WindowMinutes.Value)} (from {s.High:0.##} to {s.Now:0.##})")));
    }

    private static string Minutes(int minutes) => Invariant($"{minutes} {Plural(minutes, "minute")}");

    private static string Plural(long count, string noun) => count == 1 ? noun : noun + "s";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
