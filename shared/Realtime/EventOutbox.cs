using System.Text.Json;
using BotSociety.Core.Data;
using BotSociety.Core.Data.Dialects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Realtime;

/// <summary>
/// The transactional outbox of the live stream. Every write stages its events as <see cref="OutboxEvent"/> rows in the
/// transaction that writes what they announce, so an event exists exactly when its rows do; <see cref="DrainAsync"/>
/// sends them after the commit, and again at start (<see cref="OutboxDrainService"/>), so a worker killed between its
/// commit and its sending delivers them when it is back. A sent event's row is deleted. One that fails waits and is
/// tried again (2, 4, 8, 16 s); after <see cref="MaxAttempts"/> failures it is given up and counted in
/// <c>society_settings.events_lost</c>, which /api/health reports. An event may be sent twice (a drain that died after
/// sending, before deleting); it keeps its id, and the dashboard drops the second copy.
/// </summary>
public sealed partial class EventOutbox(
    IDbContextFactory<BotSocietyDb> dbFactory, SqlDialect dialect, IEventPublisher publisher, IOptions<RealtimeOptions> options, TimeProvider time,
    ILogger<EventOutbox> logger) : IDisposable
{
    public const int MaxAttempts = 5;
    private const int BatchSize = 200;

    // One drain at a time in this process; instances sharing a database take disjoint rows (SKIP LOCKED and the hold).
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Whether events are kept and sent: not while no live stream is configured (<see cref="NoLiveStreamPublisher"/>).</summary>
    public bool IsActive => publisher is not NoLiveStreamPublisher;

    /// <summary>The row that carries <paramref name="societyEvent"/>, due at once.</summary>
    public static OutboxEvent ToRow(SocietyEvent societyEvent, DateTime now) => new()
    {
        EventId = societyEvent.Id,
        Payload = JsonSerializer.Serialize(societyEvent, SocietyJson.Options),
        CreatedAt = now,
        NextAttemptAt = now,
    };

    /// <summary>Stages an event in <paramref name="db"/>'s unit of work: it is written by the caller's next SaveChanges.</summary>
    public void Stage(BotSocietyDb db, SocietyEvent societyEvent)
    {
        if (IsActive)
        {
            db.OutboxEvents.Add(ToRow(societyEvent, time.GetUtcNow().UtcDateTime));
        }
    }

    /// <summary>
    /// Sends every due event in the order written, batch by batch, and stops at the first batch the publisher could not
    /// send whole (its rest waits for its next try). Called after each commit that staged events; when it returns, the
    /// events committed before the call have been sent or are waiting for a retry.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (!IsActive)
        {
            return;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var batch = await TakeAsync(cancellationToken);
                if (batch.Count == 0)
                {
                    return;
                }

                var events = batch.Select(r => JsonSerializer.Deserialize<SocietyEvent>(r.Payload, SocietyJson.Options)!).ToList();
                var sent = await PublishAsync(events, cancellationToken);
                await SettleAsync(batch, sent, cancellationToken);
                if (sent < batch.Count)
                {
                    return;
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// <see cref="DrainAsync"/> after a write's commit: a failure is logged, never thrown, since the write is done and
    /// its events wait in the outbox for <see cref="OutboxDrainService"/>.
    /// </summary>
    public async Task SendAfterCommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DrainAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSendFailed(ex);
        }
    }

    /// <summary>
    /// The next due rows, oldest first, held for one publish's deadline plus a margin so that no other drain takes them
    /// meanwhile; a drain that dies leaves them to be taken again once the hold ends.
    /// </summary>
    private async Task<List<OutboxEvent>> TakeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var holdUntil = now.AddSeconds(options.Value.PublishTimeoutSeconds + 10);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The only text put in is the batch size and the dialect's row-lock clause, both constants; the values are parameters.
#pragma warning disable EF1003
        var rows = await db.OutboxEvents.FromSqlRaw(
                "UPDATE outbox_events SET next_attempt_at = {0} WHERE id IN " +
                $"(SELECT id FROM outbox_events WHERE next_attempt_at <= {{1}} ORDER BY id LIMIT {BatchSize}{dialect.SkipLockedRows}) RETURNING *",
                holdUntil, now)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
#pragma warning restore EF1003
        return [.. rows.OrderBy(r => r.Id)];
    }

    /// <summary>A publisher that throws sent nothing: its events wait for their next try like any others.</summary>
    private async Task<int> PublishAsync(List<SocietyEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            return Math.Clamp(await publisher.PublishAsync(events, cancellationToken), 0, events.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPublishFailed(ex, events.Count, events[0].Id);
            return 0;
        }
    }

    /// <summary>Deletes the sent; sets the next try of the rest, or gives up those that failed too often and counts them.</summary>
    private async Task SettleAsync(List<OutboxEvent> batch, int sent, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var sentIds = batch.Take(sent).Select(r => r.Id).ToList();
        await db.OutboxEvents.Where(r => sentIds.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);

        var failed = batch.Skip(sent).ToList();
        var givenUp = failed.Where(r => r.Attempts + 1 >= MaxAttempts).ToList();
        if (givenUp.Count > 0)
        {
            var ids = givenUp.Select(r => r.Id).ToList();
            await db.OutboxEvents.Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
            await db.SocietySettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.EventsLost, x => x.EventsLost + givenUp.Count), cancellationToken);
            LogGivenUp(givenUp.Count, givenUp[0].EventId, MaxAttempts);
        }

        foreach (var attempts in failed.Except(givenUp).GroupBy(r => r.Attempts))
        {
            var ids = attempts.Select(r => r.Id).ToList();
            var retryAt = now.AddSeconds(2 << attempts.Key);
            await db.OutboxEvents.Where(r => ids.Contains(r.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Attempts, attempts.Key + 1).SetProperty(r => r.NextAttemptAt, retryAt), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public void Dispose() => gate.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending the events of a commit failed; they are saved with it and wait in the outbox")]
    private partial void LogSendFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {Count} live events from {EventId} failed; they wait in the outbox for another try")]
    private partial void LogPublishFailed(Exception exception, int count, string eventId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Live events given up after {Attempts} failed sends: {Count}, from event {EventId}; counted in events_lost, and dashboards catch up from /api/activity")]
    private partial void LogGivenUp(int count, string eventId, int attempts);
}

/// <summary>Drains the outbox when the app starts (what a killed worker left) and every few seconds after (retries).</summary>
public sealed partial class OutboxDrainService(EventOutbox outbox, TimeProvider time, ILogger<OutboxDrainService> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!outbox.IsActive)
        {
            return;
        }

        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await outbox.DrainAsync(stoppingToken);
                if (failing)
                {
                    failing = false;
                    LogDrainBack();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A database fault passes; the events wait in their rows. Logged once a streak, not every 2 s.
                if (!failing)
                {
                    failing = true;
                    LogDrainFailed(ex);
                }
            }

            await Task.Delay(Period, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending the live events that wait in the outbox failed; trying again every 2 s, logged again once it works")]
    private partial void LogDrainFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The outbox's live events are being sent again")]
    private partial void LogDrainBack();
}
