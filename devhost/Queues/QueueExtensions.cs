using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Queues;

/// <summary>Registers the queue trigger's listeners and the queue output binding.</summary>
internal static class QueueExtensions
{
    public static WebApplicationBuilder AddQueueBindings(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<QueueWatcher>();
        builder.Services.AddSingleton<IOutputBindings, QueueOutputWriter>();
        builder.Services.AddHostedService<QueueListenerService>();
        return builder;
    }
}
