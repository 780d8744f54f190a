using System.Net;
using BotSociety.DevHost.Http;
using BotSociety.DevHost.Settings;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Console;

namespace BotSociety.DevHost.Hosting;

/// <summary>devhost's console and its two listeners.</summary>
internal static class HostingExtensions
{
    public static WebApplicationBuilder AddDevHostConsole(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.FormatterName = DevHostConsoleFormatter.FormatterName);
        builder.Logging.AddConsoleFormatter<DevHostConsoleFormatter, ConsoleFormatterOptions>();

        // The framework's own information lines (listening addresses, request starts) would bury the worker's.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        return builder;
    }

    /// <summary>
    /// The public side on http://localhost:port (HTTP/1.1, Kestrel's own refusals given problem details: see
    /// <see cref="KestrelRefusals"/>), and a loopback HTTP/2 cleartext port, chosen free at
    /// start, for the worker's gRPC stream.
    /// </summary>
    public static WebApplicationBuilder AddDevHostKestrel(this WebApplicationBuilder builder, DevHostOptions options)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenLocalhost(options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.UseProblemDetailsForRefusals(kestrel.Limits);
            });
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        });
        return builder;
    }
}
