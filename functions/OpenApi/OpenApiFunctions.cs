using System.Collections.Frozen;
using System.Net.Mime;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.OpenApi;

/// <summary>
/// The OpenAPI document and its explorer, at the addresses the Functions OpenAPI extension uses
/// (<c>/api/openapi/v3.json</c>, <c>/api/swagger.json</c>, <c>/api/swagger/ui</c>). The explorer is Swagger UI,
/// whose files the build copies into the app (swagger-ui/), so it works with no internet.
/// </summary>
internal sealed class OpenApiFunctions(OpenApiDocumentProvider provider)
{
    private static readonly string AssetFolder = Path.Combine(AppContext.BaseDirectory, "swagger-ui");

    // Only the files the build put there, by exact name: a route value never becomes a path of its own.
    private static readonly FrozenDictionary<string, string> Assets = (Directory.Exists(AssetFolder)
        ? Directory.GetFiles(AssetFolder).ToDictionary(f => Path.GetFileName(f), f => f, StringComparer.Ordinal)
        : []).ToFrozenDictionary(StringComparer.Ordinal);

    [Function("OpenApiDocument")]
    [ApiHidden]
    public async Task<IResult> DocumentAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi/v3.json")] HttpRequest request) =>
        Results.Text(await provider.JsonAsync(), MediaTypeNames.Application.Json);

    [Function("SwaggerJson")]
    [ApiHidden]
    public async Task<IResult> SwaggerJsonAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "swagger.json")] HttpRequest request) =>
        Results.Text(await provider.JsonAsync(), MediaTypeNames.Application.Json);

    [Function("SwaggerUi")]
    [ApiHidden]
    public IResult SwaggerUi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "swagger/ui")] HttpRequest request)
    {
        var root = "/" + provider.RoutePrefix;
        var html = $$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>BotSociety API</title>
              <link rel="icon" href="{{root}}/swagger/ui/favicon-32x32.png">
              <link rel="stylesheet" href="{{root}}/swagger/ui/swagger-ui.css">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="{{root}}/swagger/ui/swagger-ui-bundle.js"></script>
              <script>
                window.ui = SwaggerUIBundle({
                  url: "{{root}}/openapi/v3.json",
                  dom_id: "#swagger-ui",
                  deepLinking: true,
                  tryItOutEnabled: true,
                  persistAuthorization: true,
                  presets: [SwaggerUIBundle.presets.apis],
                  layout: "BaseLayout"
                });
              </script>
            </body>
            </html>
            """;
        return Results.Content(html, MediaTypeNames.Text.Html);
    }

    [Function("SwaggerUiAsset")]
    [ApiHidden]
    public static IResult SwaggerUiAsset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "swagger/ui/{file}")] HttpRequest request, string file)
    {
        if (!Assets.TryGetValue(file, out var path))
        {
            return Api.ApiResults.NotFound($"The explorer has no file '{file}'.");
        }

        var type = Path.GetExtension(path) switch
        {
            ".js" => "text/javascript",
            ".css" => "text/css",
            ".png" => "image/png",
            _ => MediaTypeNames.Text.Plain,
        };

        // The files are versioned by the npm lock file, not by their names, so caches revalidate.
        request.HttpContext.Response.Headers.CacheControl = "no-cache";
        return Results.File(path, type);
    }
}
