using BotSociety.DevHost.Hosting;
using BotSociety.DevHost.Http;
using BotSociety.DevHost.Queues;
using BotSociety.DevHost.Realtime;
using BotSociety.DevHost.Settings;
using BotSociety.DevHost.StaticSite;
using BotSociety.DevHost.Storage;
using BotSociety.DevHost.Timers;
using BotSociety.DevHost.Worker;

// devhost: a small Azure Functions host. It launches the real isolated worker (the built functions/ app), speaks
// the host<->worker gRPC protocol to it, runs its timers and queue triggers and forwards HTTP requests to it, on one port.
if (!CommandLine.TryParse(args, Environment.GetEnvironmentVariable("PORT"), out var options, out var error))
{
    if (error.Length == 0)
    {
        Console.WriteLine(CommandLine.Usage);
        return 0;
    }

    Console.Error.WriteLine($"devhost: {error}");
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}

try
{
    // The command line is devhost's own; none of it is ASP.NET Core configuration.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
    builder.AddDevHostConsole();
    var settings = builder.AddDevHostSettings(options!);
    builder.AddDevHostStorage(options!, settings);
    builder.AddDevHostRelay(options!, settings);
    builder.AddDevHostKestrel(options!);
    builder.AddWorkerHost();
    builder.AddFunctionTimers();
    builder.AddQueueBindings();
    builder.AddFunctionForwarding();

    var app = builder.Build();
    app.UseResponseCompression();
    app.MapWorkerRpc();
    app.MapFunctionsAdmin();
    // The relay's /api/hubs/... and /client/... win over the functions' catch-all; the dashboard takes what is left.
    app.MapDevHostRelay();
    app.MapFunctions();
    app.MapStaticSite(options!, app.Services.GetRequiredService<HostJson>().RoutePrefix);

    // RunAsync disposes the services, so the exit code's holder is taken first.
    var exit = app.Services.GetRequiredService<DevHostExit>();
    await app.RunAsync();
    return exit.Code;
}
catch (DevHostStartupException e)
{
    Console.Error.WriteLine($"devhost: {e.Message}");
    return 1;
}
catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    Console.Error.WriteLine($"devhost: cannot listen on http://localhost:{options!.Port}: {e.Message}");
    return 1;
}
