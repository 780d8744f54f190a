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
            var served = target.EndsWith('/') ? target + "index.html" : target;
            var file = files.GetFileInfo(served);

            // A navigation to a client-side route (a deep link) gets the app's page, unless excluded or under the API.
            if ((!file.Exists || file.IsDirectory) && HttpMethods.IsGet(request.Method) && config.Fallback is { } fallback
                && !path.StartsWith(apiPrefix, StringComparison.Ordinal) && !config.FallbackExclude.Any(e => e.IsMatch(path)))
            {
                served = fallback;
                file = files.GetFileInfo(fallback);
            }

            if (!file.Exists || file.IsDirectory || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
            {
                await Problems.NotFound($"Nothing serves {request.Method} {path}.").ExecuteAsync(context);
                return;
            }

            context.Response.ContentType = ContentTypes.TryGetContentType(file.Name, out var type) ? type : "application/octet-stream";
            file = Precompressed(context, files, file, served);
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

    /// <summary>
    /// The build's brotli or gzip copy of the file at <paramref name="path"/> (<c>npm run build</c> writes <c>.br</c> and
    /// <c>.gz</c> beside each compressible file) when the client accepts it, with <c>Content-Encoding</c> set; else the
    /// file itself. An answer that has copies says <c>Vary: Accept-Encoding</c>, so a cache keeps one per encoding.
    /// </summary>
    private static IFileInfo Precompressed(HttpContext context, PhysicalFileProvider files, IFileInfo file, string path)
    {
        var accepted = context.Request.Headers.AcceptEncoding.ToString();
        foreach (var (suffix, encoding) in new[] { (".br", "br"), (".gz", "gzip") })
        {
            var copy = files.GetFileInfo(path + suffix);
            if (!copy.Exists)
            {
                continue;
            }

            context.Response.Headers.Vary = "Accept-Encoding";
            if (Accepts(accepted, encoding))
            {
                context.Response.Headers.ContentEncoding = encoding;
                return copy;
            }
        }

        return file;
    }

    /// <summary>Whether an Accept-Encoding value takes <paramref name="encoding"/> (named, not refused with q=0).</summary>
    private static bool Accepts(string acceptEncoding, string encoding) =>
        acceptEncoding.Split(',').Select(part => part.Split(';')).Any(parts =>
            parts[0].Trim().Equals(encoding, StringComparison.OrdinalIgnoreCase)
            && !parts.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) is "q=0" or "q=0.0" or "q=0.00" or "q=0.000"));

    /// <summary>staticwebapp.config.json beside the built files, or in the app's folder above them (where Static Web Apps reads it).</summary>
    private static string? FindConfig(string root) =>
        new[] { Path.Combine(root, "staticwebapp.config.json"), Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root)) ?? root, "staticwebapp.config.json") }
            .FirstOrDefault(File.Exists);
}
