using BotSociety.Core.Bots;

namespace BotSociety.Core.Simulation;

/// <summary>
/// How many activity rows a bot has of one action, kept beside the log as rows are written, so totals and the
/// feed's row counts are one small read however long the log grows (a million rows take SQLite tens of ms to count).
/// </summary>
public sealed class ActivityCount
{
    public int BotId { get; set; }
    public Bot? Bot { get; set; }
    public required string Action { get; set; }
    public long Count { get; set; }
}
