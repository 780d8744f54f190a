using BotSociety.DevHost.Settings;
using BotSociety.Relay;
using BotSociety.Relay.Configuration;

namespace BotSociety.DevHost.Realtime;

/// <summary>
/// Mounts the Web PubSub-compatible relay on devhost's own port when the app's live stream names devhost itself:
/// <c>Realtime__ConnectionString</c> with a loopback endpoint on devhost's port (80 when an http endpoint names
/// none), so ./run.sh is one process and one port. The worker is then told devhost's address with the same key.
/// Any other endpoint (a relay of its own on another port, shared by several devhosts, or Azure Web PubSub) is
/// passed to the worker unchanged and nothing is mounted.
/// </summary>
internal static partial class RelayMount
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

        if (!NamesDevHost(connection!.Endpoint, options.Port))
        {
            builder.Services.AddSingleton(new ElsewhereRelay(connection.Endpoint));
            return builder;
        }

        var local = $"Endpoint=http://localhost;Port={options.Port};AccessKey={connection.AccessKey};Version=1.0;";
        builder.Configuration[$"{RelayOptions.SectionName}:{nameof(RelayOptions.ConnectionString)}"] = local;
        builder.Services.AddRelay(builder.Configuration);
        builder.Services.AddSingleton<MountedRelay>();
        settings.OverrideForWorker(ConnectionStringSetting, local);
        return builder;
    }

    /// <summary>
    /// True when <paramref name="endpoint"/> is devhost's own address: a loopback host and devhost's port. A URI
    /// without a port has its scheme's (80 for http), as the Web PubSub SDK reads it.
    /// </summary>
    public static bool NamesDevHost(Uri endpoint, int port) => endpoint.IsLoopback && endpoint.Port == port;

    /// <summary>The relay's client endpoint and REST paths, before the functions' catch-all (their literal segments win).</summary>
    public static WebApplication MapDevHostRelay(this WebApplication app)
    {
        if (app.Services.GetService<MountedRelay>() is not null)
        {
            app.MapRelay();
        }
        else if (app.Services.GetService<ElsewhereRelay>() is { } elsewhere)
        {
            var port = app.Services.GetRequiredService<DevHostOptions>().Port;
            LogElsewhere(app.Logger, ConnectionStringSetting, elsewhere.Endpoint, port);
        }

        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Setting} names {Endpoint}, not this devhost (port {Port}): no relay is mounted here; the worker publishes there")]
    private static partial void LogElsewhere(ILogger logger, string setting, Uri endpoint, int port);

    /// <summary>Marks that the relay is mounted.</summary>
    private sealed class MountedRelay;

    /// <summary>The live stream goes to a relay or Web PubSub service that is not this devhost.</summary>
    private sealed record ElsewhereRelay(Uri Endpoint);
}
