using BotSociety.Core.Bots;

namespace BotSociety.Core.Reputation;

/// <summary>
/// A bot's reputation at the end of a ten-minute bucket, taken from the activity rows as they are written: the
/// reputation chart reads these instead of every row's details (a million rows take seconds), and the current
/// bucket follows the latest row.
/// </summary>
public sealed class ReputationBucket
{
    public static readonly TimeSpan BucketLength = TimeSpan.FromMinutes(10);

    public int BotId { get; set; }
    public Bot? Bot { get; set; }

    /// <summary>When the bucket starts (UTC).</summary>
    public DateTime Bucket { get; set; }

    /// <summary>The moment of the latest row in the bucket, and the score it recorded.</summary>
    public DateTime At { get; set; }
    public double Score { get; set; }

    public static DateTime BucketOf(DateTime at) => new(at.Ticks - (at.Ticks % BucketLength.Ticks), DateTimeKind.Utc);
}
