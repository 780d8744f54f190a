using System.Text.Json;
using BotSociety.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Simulation;

/// <summary>One row of the activity feed, as the API and the live stream show it.</summary>
public sealed record ActivityItem(
    long Id, string EventId, int BotId, string BotName, string Action, JsonElement Details,
    int InputTokens, int OutputTokens, int TokensUsed, double CostUsd, string? Model, DateTime Timestamp);

/// <summary>Read side of the activity log for the API.</summary>
public sealed class ActivityQueries(IDbContextFactory<BotSocietyDb> dbFactory)
{
    /// <summary>Newest first.</summary>
    public async Task<Page<ActivityItem>> ListAsync(Paging paging, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var total = await db.ActivityLog.CountAsync(cancellationToken);
        var rows = await db.ActivityLog.AsNoTracking()
            .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id)
            .Skip(paging.Offset).Take(paging.Limit)
            .Select(a => new { a.Id, a.EventId, a.BotId, BotName = a.Bot!.Name, a.Action, a.Details, a.InputTokens, a.OutputTokens, a.CostUsd, a.Model, a.CreatedAt })
            .ToListAsync(cancellationToken);
        var items = rows.Select(a => new ActivityItem(
            a.Id, a.EventId, a.BotId, a.BotName, a.Action, JsonDocument.Parse(a.Details).RootElement.Clone(),
            a.InputTokens, a.OutputTokens, a.InputTokens + a.OutputTokens, a.CostUsd, a.Model, a.CreatedAt)).ToList();
        return new Page<ActivityItem>(items, total, paging.Limit, paging.Offset);
    }
}
