using BotSociety.DevHost.Settings;

namespace BotSociety.DevHost.Storage;

/// <summary>Registers what devhost needs of storage accounts; a wrong storage setting stops devhost here, before anything starts.</summary>
internal static class StorageExtensions
{
    /// <exception cref="DevHostStartupException">AzureWebJobsStorage, the host id or a devhost lease setting is wrong.</exception>
    public static WebApplicationBuilder AddDevHostStorage(this WebApplicationBuilder builder, DevHostOptions options, AppSettings settings)
    {
        builder.Services.AddSingleton(StorageSettings.Load(settings, options.ScriptRoot));
        builder.Services.AddSingleton<StorageConnections>();
        builder.Services.AddSingleton<StorageProbes>();
        return builder;
    }
}
