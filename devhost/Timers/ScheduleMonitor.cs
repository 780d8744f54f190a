using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using BotSociety.DevHost.Storage;

namespace BotSociety.DevHost.Timers;

/// <summary>A timer's schedule status as the host stores it: its last run, its next occurrence, and when that was worked out.</summary>
internal sealed record ScheduleStatus(DateTimeOffset Last, DateTimeOffset Next, DateTimeOffset LastUpdated)
{
    /// <summary>"Never", as the host writes a default DateTime.</summary>
    public static readonly DateTimeOffset Never = DateTimeOffset.MinValue;
}

/// <summary>
/// The Timers extension's StorageScheduleMonitor: each timer's status in the blob
/// <c>azure-webjobs-hosts/timers/{hostId}/Host.Functions.{Function}/status</c>, so whichever devhost holds a
/// timer's lease knows when it last ran anywhere and runs a missed occurrence at once, with <c>IsPastDue</c>.
/// </summary>
internal sealed class ScheduleMonitor(BlobContainerClient container, string hostId)
{
    public static string BlobNameFor(string hostId, string functionName) => $"timers/{hostId}/{TimerLock.FunctionFullName(functionName)}/status";

    public static ScheduleMonitor For(StorageAccount account, string hostId) =>
        new(account.Blobs.GetBlobContainerClient(StorageSettings.HostContainer), hostId);

    /// <summary>The stored status; null when none was stored yet or it cannot be read as one.</summary>
    /// <exception cref="RequestFailedException">Storage failed.</exception>
    public async Task<ScheduleStatus?> GetAsync(string functionName, CancellationToken cancellationToken)
    {
        try
        {
            var content = await Blob(functionName).DownloadContentAsync(cancellationToken);
            return JsonSerializer.Deserialize<ScheduleStatus>(content.Value.Content.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <exception cref="RequestFailedException">Storage failed.</exception>
    public async Task UpdateAsync(string functionName, ScheduleStatus status, CancellationToken cancellationToken) =>
        await Blob(functionName).UploadAsync(BinaryData.FromString(JsonSerializer.Serialize(status)), overwrite: true, cancellationToken);

    /// <summary>
    /// ScheduleMonitor.CheckPastDueAsync: the status to start from (recorded first when there is none, and
    /// reworked when the schedule changed since) and how long the timer is past due, zero when it is not.
    /// </summary>
    public async Task<(ScheduleStatus Status, TimeSpan PastDue)> CheckPastDueAsync(
        string functionName, DateTimeOffset now, TimerSchedule schedule, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        DateTimeOffset Next(DateTimeOffset after) => schedule.NextAfter(after, zone) ?? DateTimeOffset.MaxValue;

        var status = await GetAsync(functionName, cancellationToken);
        if (status is null)
        {
            // A new timer: record its next occurrence now, so an occurrence missed before its first run is noticed.
            status = new ScheduleStatus(ScheduleStatus.Never, Next(now), now);
            await UpdateAsync(functionName, status, cancellationToken);
        }
        else
        {
            var basis = status.Last != ScheduleStatus.Never ? status.Last : status.LastUpdated != ScheduleStatus.Never ? status.LastUpdated : now;
            var expected = Next(basis);
            if (status.Next != expected)
            {
                // The schedule changed since the status was written: an occurrence of the old one is not "missed".
                if (now > expected)
                {
                    expected = Next(now);
                    basis = now;
                }

                status = new ScheduleStatus(ScheduleStatus.Never, expected, basis);
                await UpdateAsync(functionName, status, cancellationToken);
            }
        }

        return (status, now > status.Next ? now - status.Next : TimeSpan.Zero);
    }

    private BlobClient Blob(string functionName) => container.GetBlobClient(BlobNameFor(hostId, functionName));
}
