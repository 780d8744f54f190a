using BotSociety.Core.Data;
using BotSociety.Core.Llm;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Bots;

/// <summary>
/// A bot as the API lists it: persona, standing, status and today's spend against its caps. <c>paused_reason</c> says why
/// the society paused it (a provider refused its key; null when the operator paused it or it runs); <c>budget</c> says
/// how its budget shapes its heartbeats (resting more often, a fallback model, capped until midnight UTC). <c>health</c>
/// is <see cref="BotHealth"/>: with <c>failed_heartbeats</c> in a row, the <c>failure_kind</c> of the last one and
/// <c>failing_since</c>, the first failure of the run.
/// </summary>
public sealed record BotSummary(
    int Id,
    string Name,
    PersonalityConfig PersonalityConfig,
    bool Simulated,
    double ReputationScore,
    string Status,
    string? StatusReason,
    TodayUsage Usage,
    DateTime? LastHeartbeatAt,
    DateTime NextHeartbeatAt,
    string? PausedReason,
    BudgetNote Budget,
    string Health,
    int FailedHeartbeats,
    string? FailureKind,
    DateTime? FailingSince,
    string? HealthReason);

/// <summary>
/// Today's tokens and cost, and the effective caps with where each comes from (<c>custom</c> or <c>default</c>).
/// <c>unpriced_calls</c> counts calls to a model with no price in the table, whose cost is unknown and not in the estimate.
/// </summary>
public sealed record TodayUsage(
    DateOnly Day, long InputTokens, long OutputTokens, double EstimatedCostUsd,
    long DailyTokenCap, string DailyTokenCapSource, double DailyCostCapUsd, string DailyCostCapSource,
    long CachedInputTokens, int UnpricedCalls);

/// <summary>Read side of bots for the API.</summary>
public sealed class BotQueries(IDbContextFactory<BotSocietyDb> dbFactory, ProviderProbe probe, TimeProvider time, IOptions<UsageOptions> usageOptions)
{
    public const int DefaultListLimit = 50;

    /// <summary>A page of bots in id order, each with today's usage.</summary>
    public async Task<Page<BotSummary>> ListAsync(Paging paging, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var total = await db.Bots.CountAsync(cancellationToken);
        var bots = await db.Bots.AsNoTracking().OrderBy(b => b.Id).Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        var ids = bots.Select(b => b.Id).ToList();
        var usage = await db.DailyUsage.AsNoTracking().Where(u => u.Day == today && ids.Contains(u.BotId)).ToDictionaryAsync(u => u.BotId, cancellationToken);
        return new Page<BotSummary>([.. bots.Select(b => Summarize(b, usage.GetValueOrDefault(b.Id), today))], total, paging.Limit, paging.Offset);
    }

    /// <summary>One bot, or null when there is none with that id.</summary>
    public async Task<BotSummary?> GetAsync(int id, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var bot = await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (bot is null)
        {
            return null;
        }

        var usage = await db.DailyUsage.AsNoTracking().FirstOrDefaultAsync(u => u.BotId == id && u.Day == today, cancellationToken);
        return Summarize(bot, usage, today);
    }

    private BotSummary Summarize(Bot bot, DailyUsage? usage, DateOnly today)
    {
        var caps = UsageCaps.Evaluate(bot, usage, usageOptions.Value);
        var status = bot.IsPaused ? "paused" : caps.IsCapped ? "capped" : "active";
        var reachability = probe.Cached(bot.PersonalityConfig.Model.Provider);
        var health = BotHealth.Of(bot, caps.IsCapped, reachability);
        return new BotSummary(
            bot.Id, bot.Name, bot.PersonalityConfig, ModelProviders.IsSimulated(bot.PersonalityConfig.Model.Provider),
            bot.ReputationScore, status, bot.IsPaused ? bot.PausedReason ?? "paused by the operator" : caps.Reason,
            new TodayUsage(today, usage?.InputTokens ?? 0, usage?.OutputTokens ?? 0, usage?.EstimatedCostUsd ?? 0,
                caps.TokenCap, caps.TokenCapSource, caps.CostCapUsd, caps.CostCapSource,
                usage?.CachedInputTokens ?? 0, usage?.UnpricedCalls ?? 0),
            bot.LastHeartbeatAt, bot.NextHeartbeatAt, bot.IsPaused ? bot.PausedReason : null,
            BudgetNote.For(caps, usageOptions.Value.NearCapThreshold, bot.PersonalityConfig.Model.FallbackModel),
            health, bot.FailedHeartbeats, bot.FailedHeartbeats > 0 ? bot.LastFailureKind : null, bot.FailingSince,
            health switch
            {
                BotHealth.Unreachable when reachability is { Reachable: false } => reachability.Reason,
                BotHealth.Unreachable or BotHealth.Failing => $"its last {bot.FailedHeartbeats} heartbeats failed ({bot.LastFailureKind})",
                _ => null,
            });
    }
}
