using System.Collections.Concurrent;
using BotSociety.DevHost.Hosting;
using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Timers;

/// <summary>Runs every timer function of the catalog on its schedule, once the first worker is ready.</summary>
internal sealed class TimerScheduler(FunctionCatalog catalog, IFunctionInvoker invoker, TimeProvider timeProvider, ILogger<TimerScheduler> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, TimerRunner> runners = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The runner of a timer function, shared by its schedule and the admin API so neither overlaps the other.</summary>
    public TimerRunner? Find(string functionName)
    {
        var timer = catalog.Timers.FirstOrDefault(t => t.FunctionName.Equals(functionName, StringComparison.OrdinalIgnoreCase));
        return timer is null ? null : runners.GetOrAdd(timer.FunctionName, _ => new TimerRunner(timer, invoker, timeProvider, logger));
    }

    public override void Dispose()
    {
        foreach (var runner in runners.Values)
        {
            runner.Dispose();
        }

        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await catalog.Loaded.WaitAsync(stoppingToken);
            await Task.WhenAll(catalog.Timers.Select(t => Find(t.FunctionName)!.RunAsync(stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
