using System.Text.Json;

namespace BotSociety.DevHost.Timers;

/// <summary>
/// The WebJobs <c>TimerInfo</c> the worker's timer converter reads from the trigger input: PascalCase JSON with
/// <c>Schedule</c>, <c>ScheduleStatus</c> and <c>IsPastDue</c>.
/// </summary>
internal static class TimerInfoJson
{
    public static string Create(DateTimeOffset? last, DateTimeOffset? next, DateTimeOffset lastUpdated, bool isPastDue) =>
        JsonSerializer.Serialize(new TimerInfoPayload(
            new SchedulePayload(AdjustForDST: true),
            // The worker's ScheduleStatus has non-nullable DateTimes; the host sends DateTime.MinValue for "never".
            new ScheduleStatusPayload(last ?? DateTimeOffset.MinValue, next ?? DateTimeOffset.MaxValue, lastUpdated),
            isPastDue));

    private sealed record TimerInfoPayload(SchedulePayload Schedule, ScheduleStatusPayload ScheduleStatus, bool IsPastDue);

    private sealed record SchedulePayload(bool AdjustForDST);

    private sealed record ScheduleStatusPayload(DateTimeOffset Last, DateTimeOffset Next, DateTimeOffset LastUpdated);
}
