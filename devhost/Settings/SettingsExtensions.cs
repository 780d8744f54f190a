using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Settings;

/// <summary>Reads every file devhost depends on before anything starts, so a bad one stops it with one clear line.</summary>
internal static class SettingsExtensions
{
    /// <exception cref="DevHostStartupException">A file is missing or malformed.</exception>
    /// <returns>The app settings, which later steps (the relay) read while devhost is composed.</returns>
    public static AppSettings AddDevHostSettings(this WebApplicationBuilder builder, DevHostOptions options)
    {
        var settings = AppSettings.Load(options.SettingsPath, mustExist: options.SettingsGiven);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(WorkerConfig.Load(options.ScriptRoot));
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(HostJson.Load(options.ScriptRoot));
        builder.Services.AddSingleton(TimeProvider.System);
        return settings;
    }
}
