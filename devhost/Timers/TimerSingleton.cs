using BotSociety.DevHost.Storage;

namespace BotSociety.DevHost.Timers;

/// <summary>
/// Runs a timer's schedule only while this devhost holds the timer's lock, as the host's SingletonListener starts
/// the timer listener only on the instance that holds the listener lock. The holder renews the lease at half its
/// period; the others try to take it every quarter period, so when the holder dies (even by SIGKILL) one of them
/// fires the timer within about a lease and a quarter. A schedule (re)started on taking the lock honours
/// <c>runOnStartup</c> and the stored schedule status, as the listener's start does. devhost stopping gives the
/// lease up at once.
/// </summary>
internal sealed partial class TimerSingleton(
    TimerRunner runner, TimerLock timerLock, ScheduleMonitor? monitor, TimeSpan lease, TimeProvider timeProvider, ILogger logger)
{
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

    private volatile bool holding;
    private bool storageFailing;

    /// <summary>True while this devhost holds the lock and so fires the timer.</summary>
    public bool IsHolder => holding;

    public TimeSpan RetryInterval => lease / 4;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var function = runner.Definition.FunctionName;
        var toldWaiting = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await TryAcquireAsync(stoppingToken))
            {
                if (!toldWaiting)
                {
                    toldWaiting = true;
                    LogWaiting(logger, function, timerLock.BlobName, RetryInterval.TotalSeconds);
                }

                await Task.Delay(RetryInterval, timeProvider, stoppingToken);
                continue;
            }

            toldWaiting = false;
            holding = true;
            LogHolder(logger, function, timerLock.BlobName, lease.TotalSeconds);
            using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var schedule = runner.RunAsync(held.Token, monitor);
            var lost = await HoldAsync(stoppingToken);
            await held.CancelAsync();
            try
            {
                await schedule;
            }
            catch (OperationCanceledException) when (held.IsCancellationRequested)
            {
                // The schedule stops with the lease.
            }

            holding = false;
            if (lost is null)
            {
                await ReleaseAsync(function);
                return;
            }

            LogLost(logger, function, timerLock.BlobName, lost);
        }
    }

    private async Task<bool> TryAcquireAsync(CancellationToken stoppingToken)
    {
        try
        {
            var acquired = await timerLock.TryAcquireAsync(stoppingToken);
            storageFailing = false;
            return acquired;
        }
        catch (Exception e) when (StorageErrors.IsStorageFailure(e, stoppingToken))
        {
            if (!storageFailing)
            {
                storageFailing = true;
                LogStorageFailing(logger, runner.Definition.FunctionName, timerLock.BlobName, StorageAccount.Describe(e));
            }

            return false;
        }
    }

    /// <summary>Renews until devhost stops (null) or the lease is lost (the reason).</summary>
    private async Task<string?> HoldAsync(CancellationToken stoppingToken)
    {
        var renewed = timeProvider.GetTimestamp();
        var interval = lease / 2;
        try
        {
            while (true)
            {
                await Task.Delay(interval, timeProvider, stoppingToken);
                try
                {
                    if (!await timerLock.RenewAsync(stoppingToken))
                    {
                        return "it ran out and another devhost took it";
                    }

                    renewed = timeProvider.GetTimestamp();
                    interval = lease / 2;
                }
                catch (Exception e) when (StorageErrors.IsStorageFailure(e, stoppingToken))
                {
                    // Keep trying while the lease may still be ours; past its period another devhost may hold it.
                    var since = timeProvider.GetElapsedTime(renewed);
                    if (since + TimeSpan.FromSeconds(1) >= lease)
                    {
                        return $"it could not be renewed for {since.TotalSeconds:0} s: {StorageAccount.Describe(e)}";
                    }

                    interval = TimeSpan.FromSeconds(1);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task ReleaseAsync(string function)
    {
        try
        {
            using var timeout = new CancellationTokenSource(ReleaseTimeout, timeProvider);
            await timerLock.ReleaseAsync(timeout.Token);
            LogReleased(logger, function, timerLock.BlobName);
        }
        catch (Exception e) when (StorageErrors.IsStorageFailure(e, CancellationToken.None) || e is OperationCanceledException)
        {
            // It runs out by itself.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {Function}: this devhost holds the lease on {Blob} ({Seconds} s, renewed at half) and fires the timer")]
    private static partial void LogHolder(ILogger logger, string function, string blob, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {Function}: another devhost holds the lease on {Blob} and fires the timer; this one takes over if that one stops (it tries every {Seconds} s)")]
    private static partial void LogWaiting(ILogger logger, string function, string blob, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer {Function}: lost the lease on {Blob} ({Reason}); this devhost no longer fires the timer")]
    private static partial void LogLost(ILogger logger, string function, string blob, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {Function}: gave up the lease on {Blob}")]
    private static partial void LogReleased(ILogger logger, string function, string blob);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer {Function}: the lease on {Blob} cannot be taken: {Reason}. The timer does not fire here until storage answers")]
    private static partial void LogStorageFailing(ILogger logger, string function, string blob, string reason);
}
