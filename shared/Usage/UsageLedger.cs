using BotSociety.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Usage;

/// <summary>Adds a model call's tokens and cost to the bot's row for the UTC day, inside the caller's transaction.</summary>
public static class UsageLedger
{
    public static async Task RecordAsync(BotSocietyDb db, int botId, DateOnly day, int inputTokens, int outputTokens, double costUsd, CancellationToken cancellationToken)
    {
        var row = await db.DailyUsage.FirstOrDefaultAsync(u => u.BotId == botId && u.Day == day, cancellationToken);
        if (row is null)
        {
            row = new DailyUsage { BotId = botId, Day = day };
            db.DailyUsage.Add(row);
        }

        row.InputTokens += inputTokens;
        row.OutputTokens += outputTokens;
        row.EstimatedCostUsd += costUsd;
        row.Calls++;
    }
}
