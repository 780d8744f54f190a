using BotSociety.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Usage;

/// <summary>Adds a model call's tokens and cost to the bot's row for the UTC day, inside the caller's transaction.</summary>
public static class UsageLedger
{
    /// <summary>A null cost (a model with no price) counts as an unpriced call rather than as $0.</summary>
    public static async Task RecordAsync(BotSocietyDb db, int botId, DateOnly day, TokenUsage usage, double? costUsd, CancellationToken cancellationToken)
    {
        var row = await db.DailyUsage.FirstOrDefaultAsync(u => u.BotId == botId && u.Day == day, cancellationToken);
        if (row is null)
        {
            row = new DailyUsage { BotId = botId, Day = day };
            db.DailyUsage.Add(row);
        }

        row.InputTokens += usage.InputTokens;
        row.OutputTokens += usage.OutputTokens;
        row.CachedInputTokens += usage.CachedInputTokens;
        row.EstimatedCostUsd += costUsd ?? 0;
        row.UnpricedCalls += costUsd is null ? 1 : 0;
        row.Calls++;
    }
}
