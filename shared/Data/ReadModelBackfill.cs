using System.Text.Json;
using BotSociety.Core.Reputation;
using BotSociety.Core.Simulation;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Data;

/// <summary>
/// Fills the read models kept beside the activity log (activity counts, reputation points) for a database whose
/// log was written before they existed. Runs at start, once: afterwards every row keeps them up to date as it is
/// written (HeartbeatWriter.RecordActivityAsync). Provider-neutral EF, so it moves with the data; it runs inside the
/// start's transaction, so a stopped start leaves nothing half-filled.
/// </summary>
internal static class ReadModelBackfill
{
    private const int Batch = 20_000;

    /// <returns>How many log rows were read (0 when there was nothing to fill).</returns>
    public static async Task<long> EnsureAsync(BotSocietyDb db, CancellationToken ct)
    {
        if (await db.ActivityCounts.AnyAsync(ct) || await db.ReputationBuckets.AnyAsync(ct) || !await db.ActivityLog.AnyAsync(ct))
        {
            return 0;
        }

        var counts = await db.ActivityLog.Where(a => a.BotId != null && ActivityActions.OfBots.Contains(a.Action))
            .GroupBy(a => new { a.BotId, a.Action })
            .Select(g => new ActivityCount { BotId = g.Key.BotId!.Value, Action = g.Key.Action, Count = g.LongCount() })
            .ToListAsync(ct);
        db.ActivityCounts.AddRange(counts);

        // The last row of each bot's ten-minute bucket gives the bucket's score, as the writer keeps it.
        var points = new Dictionary<(int BotId, DateTime Bucket), ReputationBucket>();
        long read = 0, after = 0;
        while (true)
        {
            var rows = await db.ActivityLog.AsNoTracking().Where(a => a.Id > after).OrderBy(a => a.Id).Take(Batch)
                .Select(a => new { a.Id, a.BotId, a.CreatedAt, a.Details }).ToListAsync(ct);
            if (rows.Count == 0)
            {
                break;
            }

            foreach (var row in rows)
            {
                if (row.BotId is { } botId && Score(row.Details) is { } score)
                {
                    var bucket = ReputationBucket.BucketOf(row.CreatedAt);
                    points[(botId, bucket)] = new ReputationBucket { BotId = botId, Bucket = bucket, At = row.CreatedAt, Score = score };
                }
            }

            read += rows.Count;
            after = rows[^1].Id;
        }

        db.ReputationBuckets.AddRange(points.Values);
        await db.SaveChangesAsync(ct);
        return read;
    }

    private static double? Score(string details)
    {
        try
        {
            using var document = JsonDocument.Parse(details);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("reputation_score", out var score)
                && score.ValueKind == JsonValueKind.Number && score.TryGetDouble(out var value) ? value : null;
        }
        catch (JsonException)
        {
            // A malformed row is a gap in the chart, not a failed start.
            return null;
        }
    }
}
