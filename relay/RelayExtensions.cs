using BotSociety.Relay.Auth;
using BotSociety.Relay.Configuration;
using BotSociety.Relay.Connections;
using BotSociety.Relay.Endpoints;
using BotSociety.Relay.Messages;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BotSociety.Relay;

/// <summary>Mounts the relay in any ASP.NET Core host: <c>services.AddRelay(configuration)</c>, then <c>app.MapRelay()</c>.</summary>
public static class RelayExtensions
{
    /// <summary>Registers the relay and binds <see cref="RelayOptions"/> from the "Relay" section, checked at start.</summary>
    public static IServiceCollection AddRelay(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RelayOptions>()
            .Bind(configuration.GetSection(RelayOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HubRegistry>();
        services.AddSingleton<TokenValidator>();
        services.AddSingleton<ClientMessageHandler>();
        services.AddSingleton<RelayLog>();
        return services;
    }

    /// <summary>
    /// Maps <c>/client/hubs/{hub}</c> (WebSocket) and the REST data plane under <c>/api/hubs/{hub}</c>, and adds the
    /// WebSocket middleware, so call it once per application. A host that mounts the relay beside its own API
    /// (devhost) keeps its own <c>/api/health</c>; the relay alone maps one in Program.cs. The returned group
    /// holds every relay endpoint: a host that serves the relay on a port of its own adds
    /// <c>.RequireHost("*:port")</c> to it.
    /// </summary>
    public static RouteGroupBuilder MapRelay(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<RelayOptions>>().Value;
        var registry = app.Services.GetRequiredService<HubRegistry>();
        app.Lifetime.ApplicationStopping.Register(registry.CloseAll);
        app.UseWebSockets();

        var relay = app.MapGroup("");
        relay.MapClientEndpoint();

        var hub = relay.MapGroup("/api/hubs/{hub}").RequireRestToken();
        hub.MapRestSends();
        hub.MapRestGroups();
        if (options.EnableTestEndpoints)
        {
            hub.MapRelayTestEndpoints();
        }

        return relay;
    }
}
