using BotSociety.DevHost.Http;
using BotSociety.DevHost.Settings;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace BotSociety.DevHost.StaticSite;

/// <summary>
/// Serves the built dashboard (<c>--static-root</c>, e.g. static-web/dist) at <c>/</c>, after the functions and the
/// relay have had their paths, with the routes, headers and single-page fallback of its staticwebapp.config.json.
/// </summary>
internal static class StaticSiteExtensions
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>Maps the site, or answers 404 problems for every other path when there is none.</summary>
    public static IEndpointRouteBuilder MapStaticSite(this IEndpointRouteBuilder endpoints, DevHostOptions options, string routePrefix)
    {
        if (options.StaticRoot is not { } root)
        {
            return endpoints.MapNotFound();
        }

        if (!Directory.Exists(root))
        {
            throw new DevHostStartupException($"--static-root {root} does not exist (build the dashboard: cd static-web && npm ci && npm run build).");
        }

        var config = FindConfig(root) is { } path ? StaticWebAppConfig.Load(path) : StaticWebAppConfig.Empty;
        var files = new PhysicalFileProvider(root);
        var apiPrefix = "/" + routePrefix.Trim('/') + "/";
        endpoints.MapFallback("{**path}", async context =>
        {
            var request = context.Request;
            var path = request.Path.Value ?? "/";
            var route = config.Routes.FirstOrDefault(r => r.Matches(request.Method, path));
            foreach (var (name, value) in config.GlobalHeaders.Concat(route?.Headers ?? new Dictionary<string, string>()))
            {
                context.Response.Headers[name] = value;
            }

            if (route?.Redirect is { } redirect)
            {
                context.Response.StatusCode = route.StatusCode ?? StatusCodes.Status302Found;
                context.Response.Headers.Location = redirect;
                return;
            }

            var target = route?.Rewrite ?? path;
            var file = files.GetFileInfo(target.EndsWith('/') ? target + "index.html" : target);

            // A navigation to a client-side route (a deep link) gets the app's page, unless excluded or under the API.
            if ((!file.Exists || file.IsDirectory) && HttpMethods.IsGet(request.Method) && config.Fallback is { } fallback
                && !path.StartsWith(apiPrefix, StringComparison.Ordinal) && !config.FallbackExclude.Any(e => e.IsMatch(path)))
            {
                file = files.GetFileInfo(fallback);
            }

            if (!file.Exists || file.IsDirectory || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
            {
                await Problems.NotFound($"Nothing serves {request.Method} {path}.").ExecuteAsync(context);
                return;
            }

            context.Response.ContentType = ContentTypes.TryGetContentType(file.Name, out var type) ? type : "application/octet-stream";
            context.Response.ContentLength = file.Length;
            if (route?.StatusCode is { } status)
            {
                context.Response.StatusCode = status;
            }

            if (HttpMethods.IsGet(request.Method))
            {
                await context.Response.SendFileAsync(file, context.RequestAborted);
            }
        });
        return endpoints;
    }

    /// <summary>staticwebapp.config.json beside the built files, or in the app's folder above them (where Static Web Apps reads it).</summary>
    private static string? FindConfig(string root) =>
        new[] { Path.Combine(root, "staticwebapp.config.json"), Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root)) ?? root, "staticwebapp.config.json") }
            .FirstOrDefault(File.Exists);
}
