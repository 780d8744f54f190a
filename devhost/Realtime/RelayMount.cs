using BotSociety.DevHost.Settings;
using BotSociety.Relay;
using BotSociety.Relay.Configuration;

namespace BotSociety.DevHost.Realtime;

/// <summary>
/// Mounts the Web PubSub-compatible relay on devhost's own port when the app's live stream points at this
/// machine (<c>Realtime__ConnectionString</c> with a localhost endpoint), so ./run.sh is one process and one port.
/// The worker is then told devhost's real address, whatever port the settings file names, with the same key.
/// A connection string that points elsewhere (Azure Web PubSub) is left alone and no relay is mounted.
/// </summary>
internal static class RelayMount
{
    public const string ConnectionStringSetting = "Realtime__ConnectionString";

    public static WebApplicationBuilder AddDevHostRelay(this WebApplicationBuilder builder, DevHostOptions options, AppSettings settings)
    {
        var text = settings[ConnectionStringSetting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return builder;
        }

        if (!ConnectionString.TryParse(text, out var connection, out var error))
        {
            throw new DevHostStartupException($"{ConnectionStringSetting} {error}");
        }

        if (!connection!.Endpoint.IsLoopback)
        {
            return builder;
        }

        var local = $"Endpoint=http://localhost;Port={options.Port};AccessKey={connection.AccessKey};Version=1.0;";
        builder.Configuration[$"{RelayOptions.SectionName}:{nameof(RelayOptions.ConnectionString)}"] = local;
        builder.Services.AddRelay(builder.Configuration);
        builder.Services.AddSingleton<MountedRelay>();
        settings.OverrideForWorker(ConnectionStringSetting, local);
        return builder;
    }

    /// <summary>The relay's client endpoint and REST paths, before the functions' catch-all (their literal segments win).</summary>
    public static WebApplication MapDevHostRelay(this WebApplication app)
    {
        if (app.Services.GetService<MountedRelay>() is not null)
        {
            app.MapRelay();
        }

        return app;
    }

    /// <summary>Marks that the relay is mounted.</summary>
    private sealed class MountedRelay;
}
