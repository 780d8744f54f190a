using BotSociety.Core.Memory;
using BotSociety.Core.Simulation;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace BotSociety.Functions.Heartbeat;

/// <summary>The society's clock: a heartbeat tick on <c>%HeartbeatSchedule%</c>, memory compression on <c>%CompressMemorySchedule%</c>.</summary>
internal sealed partial class SocietyTimers(HeartbeatEngine engine, MemoryCompressor compressor, ILogger<SocietyTimers> logger)
{
    [Function("Heartbeat")]
    public async Task HeartbeatAsync([TimerTrigger("%HeartbeatSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (timer.IsPastDue)
        {
            LogPastDue("Heartbeat");
        }

        await engine.RunTickAsync(cancellationToken);
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
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Function} is past due: the previous run overran or the app was down")]
    private partial void LogPastDue(string function);

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory compression wrote {Summaries} summaries")]
    private partial void LogCompressed(int summaries);
}
