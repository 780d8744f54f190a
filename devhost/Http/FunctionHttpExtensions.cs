using Microsoft.AspNetCore.ResponseCompression;
using BotSociety.DevHost.Settings;

namespace BotSociety.DevHost.Http;

/// <summary>Registers and maps the HTTP functions' forwarding.</summary>
internal static class FunctionHttpExtensions
{
    public static WebApplicationBuilder AddFunctionForwarding(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpForwarder();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<WorkerHttpClient>();
        builder.Services.AddSingleton<FunctionRequestHandler>();
        // The API's JSON (a feed page, the stats) is several times smaller compressed, which a phone on a slow link
        // feels; the worker answers uncompressed, so devhost compresses on the way out. A response that already has a
        // Content-Encoding (the site's precompressed files) and the relay's WebSockets are left as they are.
        builder.Services.AddResponseCompression(compression =>
        {
            compression.EnableForHttps = true;
            compression.Providers.Add<BrotliCompressionProvider>();
            compression.Providers.Add<GzipCompressionProvider>();
            compression.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "application/problem+json"];
        });
        return builder;
    }

    /// <summary>
    /// Everything under the route prefix goes to the functions' route table. Endpoints with more literal segments
    /// (the relay's <c>/api/hubs/...</c>) take precedence over this catch-all, as ASP.NET Core routing orders them.
    /// </summary>
    public static IEndpointRouteBuilder MapFunctions(this IEndpointRouteBuilder endpoints)
    {
        var prefix = endpoints.ServiceProvider.GetRequiredService<HostJson>().RoutePrefix;
        var pattern = prefix.Length == 0 ? "/{**path}" : $"/{prefix}/{{**path}}";
        endpoints.Map(pattern, (HttpContext context, FunctionRequestHandler handler) => handler.HandleAsync(context));
        if (prefix.Length > 0)
        {
            // The prefix alone ("/api") is a route too when a function's route is empty.
            endpoints.Map($"/{prefix}", (HttpContext context, FunctionRequestHandler handler) => handler.HandleAsync(context));
        }

        return endpoints;
    }

    /// <summary>Whatever nothing else serves: 404 with problem details. A static site would put its fallback here instead.</summary>
    public static IEndpointRouteBuilder MapNotFound(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapFallback("{**path}", (HttpContext context) =>
            Problems.NotFound($"Nothing serves {context.Request.Method} {context.Request.Path}."));
        return endpoints;
    }
}
