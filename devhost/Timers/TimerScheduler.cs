using System.Collections.Concurrent;
using BotSociety.DevHost.Hosting;
using BotSociety.DevHost.Storage;
using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Timers;

/// <summary>
/// Runs every timer function of the catalog on its schedule, once the first worker is ready. With
/// <c>AzureWebJobsStorage</c> set and answering, each timer fires only on the devhost holding its lock (see
/// <see cref="TimerSingleton"/>); without it, every timer runs here, as for one instance.
/// </summary>
internal sealed partial class TimerScheduler(
    FunctionCatalog catalog,
    IFunctionInvoker invoker,
    StorageSettings storage,
    StorageProbes probes,
    TimeProvider timeProvider,
    ILogger<TimerScheduler> logger) : BackgroundService
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
            if (catalog.Timers.Count == 0)
            {
                return;
            }

            var account = await LockAccountAsync(stoppingToken);
            await Task.WhenAll(catalog.Timers.Select(t =>
            {
                var runner = Find(t.FunctionName)!;
                if (account is null)
                {
                    return runner.RunAsync(stoppingToken);
                }

                return new TimerSingleton(
                    runner,
                    TimerLock.For(account, storage.HostId, t.FunctionName, storage.TimerLease),
                    ScheduleMonitor.For(account, storage.HostId),
                    storage.TimerLease,
                    timeProvider,
                    logger).RunAsync(stoppingToken);
            }));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>The account the timers' locks live in, or null (with one line saying why) when they run without one.</summary>
    private async Task<StorageAccount?> LockAccountAsync(CancellationToken stoppingToken)
    {
        if (storage.HostStorage is not { } account)
        {
            return null;
        }

        if (await probes.HostContainerAsync(account, stoppingToken) is { } problem)
        {
            LogUnguarded(logger, StorageSettings.HostStorageSetting, account.BlobEndpoint, problem);
            return null;
        }

        LogGuarded(logger, StorageSettings.HostStorageSetting, account.BlobEndpoint, storage.HostId);
        return account;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timers fire on this devhost without the singleton lease: {Setting} ({Endpoint}) does not answer: {Reason}. Start Azurite (tools/azurite) before devhost for one timer run across devhosts")]
    private static partial void LogUnguarded(ILogger logger, string setting, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Timers are singletons across the devhosts sharing {Setting} ({Endpoint}) and host id '{HostId}'")]
    private static partial void LogGuarded(ILogger logger, string setting, string endpoint, string hostId);
}
