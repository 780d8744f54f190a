using BotSociety.Core.Memory;
using BotSociety.Core.Simulation;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotSociety.Functions.Heartbeat;

/// <summary>
/// The society's clock: a heartbeat tick on <c>%HeartbeatSchedule%</c>, memory compression on <c>%CompressMemorySchedule%</c>.
/// With <c>Society__Dispatch=queue</c> the tick only claims due bots and returns their batches for the <c>heartbeats</c>
/// queue, and <see cref="RunHeartbeatsAsync"/> runs each batch on whichever instance the host gives it to.
/// </summary>
internal sealed partial class SocietyTimers(
    HeartbeatEngine engine, MemoryCompressor compressor, Core.Traces.TraceQueries traces, IOptions<SocietyOptions> options, ILogger<SocietyTimers> logger)
{
    [Function("Heartbeat")]
    [QueueOutput(SocietyOptions.HeartbeatQueue)]
    public async Task<string[]> HeartbeatAsync([TimerTrigger("%HeartbeatSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (timer.IsPastDue)
        {
            LogPastDue("Heartbeat");
        }

        if (!options.Value.IsQueueDispatch)
        {
            await engine.RunTickAsync(cancellationToken);
            return [];
        }

        var batches = await engine.DispatchAsync(cancellationToken);
        return [.. batches.Select(b => b.ToMessage())];
    }

    /// <summary>
    /// One queued batch. A message that is not a batch fails here, with its reason logged; the host retries it up to
    /// host.json's maxDequeueCount and then moves it to <c>heartbeats-poison</c>, which /api/health counts.
    /// </summary>
    [Function("RunHeartbeats")]
    public async Task RunHeartbeatsAsync([QueueTrigger(SocietyOptions.HeartbeatQueue)] string message, CancellationToken cancellationToken)
    {
        HeartbeatBatch batch;
        try
        {
            batch = HeartbeatBatch.Parse(message);
        }
        catch (FormatException e)
        {
            LogMalformed(e.Message);
            throw;
        }

        await engine.RunBatchAsync(batch, cancellationToken);
    }

    [Function("CompressMemory")]
    public async Task CompressMemoryAsync([TimerTrigger("%CompressMemorySchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (timer.IsPastDue)
        {
            LogPastDue("CompressMemory");
        }

        var summaries = await compressor.RunAsync(cancellationToken);
        LogCompressed(summaries);

        // Old model-call traces go on the same clock: they are the other thing that grows with every heartbeat.
        await traces.PruneAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Function} is past due: the previous run overran or the app was down")]
    private partial void LogPastDue(string function);

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory compression wrote {Summaries} summaries")]
    private partial void LogCompressed(int summaries);

    [LoggerMessage(Level = LogLevel.Error, Message = "A heartbeat queue message was refused: {Reason}")]
    private partial void LogMalformed(string reason);
}
