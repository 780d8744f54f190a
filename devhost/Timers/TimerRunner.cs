using BotSociety.DevHost.Rpc;
using BotSociety.DevHost.Storage;
using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Timers;

/// <summary>
/// Fires one timer function on its schedule. Like the Functions host it never runs two invocations of the same
/// timer at once: a tick that comes while the previous run is still going is skipped (and logged), and an admin
/// "run now" waits for the running invocation to finish. Given a <see cref="ScheduleMonitor"/> (a timer that is a
/// singleton across devhosts, with <c>useMonitor</c> on), it starts from the stored status, runs a missed
/// occurrence at once with <c>IsPastDue</c>, and records each scheduled run, as the Timers extension's listener does.
/// </summary>
internal sealed partial class TimerRunner(TimerDefinition timer, IFunctionInvoker invoker, TimeProvider timeProvider, ILogger logger) : IDisposable
{
    // Task.Delay cannot wait more than ~49 days, and a yearly schedule is a fair thing to write; wait in steps.
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(12);

    private readonly SemaphoreSlim running = new(1, 1);

    // The schedule loop and the invocations both touch the status; DateTimeOffset? is too wide to read atomically.
    private readonly Lock status = new();
    private DateTimeOffset? last;
    private DateTimeOffset? next;
    private int ticks;
    private int skippedTicks;

    public TimerDefinition Definition => timer;

    /// <summary>True while an invocation of this timer is in flight.</summary>
    public bool IsRunning => running.CurrentCount == 0;

    /// <summary>Scheduled occurrences reached so far, run or skipped.</summary>
    public int Ticks => Volatile.Read(ref ticks);

    /// <summary>Scheduled occurrences skipped because the previous run was still going.</summary>
    public int SkippedTicks => Volatile.Read(ref skippedTicks);

    public async Task RunAsync(CancellationToken cancellationToken, ScheduleMonitor? monitor = null)
    {
        var zone = timeProvider.LocalTimeZone;
        var now = timeProvider.GetUtcNow();
        var upcoming = SetNext(timer.Schedule.NextAfter(now, zone));
        var pastDue = TimeSpan.Zero;
        monitor = timer.UseMonitor ? monitor : null;
        if (monitor is not null)
        {
            try
            {
                var (stored, overdue) = await monitor.CheckPastDueAsync(timer.FunctionName, now, timer.Schedule, zone, cancellationToken);
                lock (status)
                {
                    last = stored.Last == ScheduleStatus.Never ? last : stored.Last;
                }

                pastDue = overdue;
            }
            catch (Exception e) when (StorageErrors.IsStorageFailure(e, cancellationToken))
            {
                LogStatusFailed(logger, timer.FunctionName, StorageAccount.Describe(e));
            }
        }

        LogScheduled(logger, timer.FunctionName, timer.Schedule.Expression, upcoming);
        if (pastDue > TimeSpan.Zero)
        {
            LogPastDue(logger, timer.FunctionName, pastDue.TotalSeconds);
            Fire(now, isPastDue: true, monitor);
        }
        else if (timer.RunOnStartup)
        {
            Fire(now, isPastDue: false, monitor);
        }

        while (upcoming is { } due)
        {
            while ((now = timeProvider.GetUtcNow()) < due)
            {
                var wait = due - now;
                await Task.Delay(wait < LongestWait ? wait : LongestWait, timeProvider, cancellationToken);
            }

            // Late by more than one interval (a suspended machine, a blocked process) is what the host calls past due.
            var interval = (timer.Schedule.NextAfter(due, zone) ?? due) - due;
            upcoming = SetNext(timer.Schedule.NextAfter(now, zone));
            Interlocked.Increment(ref ticks);
            Fire(due, isPastDue: now - due > interval, monitor);
        }

        LogNeverFires(logger, timer.FunctionName, timer.Schedule.Expression);
    }

    /// <summary>Runs the timer now (the admin API), after any run in progress.</summary>
    /// <exception cref="WorkerUnavailableException">No worker is ready.</exception>
    public async Task<InvocationResult> RunNowAsync(CancellationToken cancellationToken)
    {
        await running.WaitAsync(cancellationToken);
        try
        {
            return await InvokeAsync(timeProvider.GetUtcNow(), isPastDue: false, cancellationToken);
        }
        finally
        {
            running.Release();
        }
    }

    public void Dispose() => running.Dispose();

    private void Fire(DateTimeOffset due, bool isPastDue, ScheduleMonitor? monitor)
    {
        if (!running.Wait(0))
        {
            Interlocked.Increment(ref skippedTicks);
            LogSkipped(logger, timer.FunctionName, due);
            return;
        }

        _ = RunHeldAsync(due, isPastDue, monitor);
    }

    private async Task RunHeldAsync(DateTimeOffset due, bool isPastDue, ScheduleMonitor? monitor)
    {
        try
        {
            await InvokeAsync(due, isPastDue, CancellationToken.None);
            if (monitor is not null)
            {
                await RecordAsync(monitor, due);
            }
        }
        catch (WorkerUnavailableException e)
        {
            LogNoWorker(logger, timer.FunctionName, due, e.Message);
        }
        finally
        {
            running.Release();
        }
    }

    // Best effort, as in the host: a status that is not written only means a possible extra past-due run later.
    private async Task RecordAsync(ScheduleMonitor monitor, DateTimeOffset ran)
    {
        try
        {
            var next = timer.Schedule.NextAfter(ran, timeProvider.LocalTimeZone) ?? DateTimeOffset.MaxValue;
            await monitor.UpdateAsync(timer.FunctionName, new ScheduleStatus(ran, next, ran), CancellationToken.None);
        }
        catch (Exception e) when (StorageErrors.IsStorageFailure(e, CancellationToken.None))
        {
            LogStatusFailed(logger, timer.FunctionName, StorageAccount.Describe(e));
        }
    }

    private async Task<InvocationResult> InvokeAsync(DateTimeOffset due, bool isPastDue, CancellationToken cancellationToken)
    {
        string timerInfo;
        lock (status)
        {
            timerInfo = TimerInfoJson.Create(last, next, timeProvider.GetUtcNow(), isPastDue);
        }

        var request = new InvocationRequest { InvocationId = Guid.NewGuid().ToString(), TraceContext = TraceContexts.NewRoot() };
        request.InputData.Add(new ParameterBinding { Name = timer.BindingName, Data = new TypedData { Json = timerInfo } });
        var result = await invoker.InvokeAsync(timer.FunctionName, request, cancellationToken);
        lock (status)
        {
            last = due;
        }

        return result;
    }

    private DateTimeOffset? SetNext(DateTimeOffset? value)
    {
        lock (status)
        {
            next = value;
        }

        return value;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {Function} runs on '{Expression}'; next at {Next:O}")]
    private static partial void LogScheduled(ILogger logger, string function, string expression, DateTimeOffset? next);

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {Function}: missed an occurrence {Seconds:0} s ago (schedule status in storage); running it now as past due")]
    private static partial void LogPastDue(ILogger logger, string function, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer {Function}: its schedule status could not be read or written: {Reason}")]
    private static partial void LogStatusFailed(ILogger logger, string function, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer {Function}: the schedule '{Expression}' has no further occurrence")]
    private static partial void LogNeverFires(ILogger logger, string function, string expression);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer {Function}: skipped the run due at {Due:O}, the previous run is still going")]
    private static partial void LogSkipped(ILogger logger, string function, DateTimeOffset due);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer {Function}: skipped the run due at {Due:O}: {Reason}")]
    private static partial void LogNoWorker(ILogger logger, string function, DateTimeOffset due, string reason);
}
