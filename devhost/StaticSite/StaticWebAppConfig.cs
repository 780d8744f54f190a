using System.Text.Json;
using System.Text.RegularExpressions;

namespace BotSociety.DevHost.StaticSite;

/// <summary>
/// The parts of Azure Static Web Apps' <c>staticwebapp.config.json</c> a local run needs, so the dashboard is
/// served here as it will be there: <c>routes</c> (rewrite, redirect, headers, methods), <c>navigationFallback</c>
/// (rewrite, exclude) and <c>globalHeaders</c>. Roles, auth and response overrides are not reproduced.
/// </summary>
internal sealed class StaticWebAppConfig
{
    public static readonly StaticWebAppConfig Empty = new([], null, [], new Dictionary<string, string>());

    private StaticWebAppConfig(IReadOnlyList<StaticRoute> routes, string? fallback, IReadOnlyList<Regex> fallbackExclude, IReadOnlyDictionary<string, string> globalHeaders)
    {
        Routes = routes;
        Fallback = fallback;
        FallbackExclude = fallbackExclude;
        GlobalHeaders = globalHeaders;
    }

    public IReadOnlyList<StaticRoute> Routes { get; }

    /// <summary>The page a navigation to an unknown path gets (a single-page app's index.html).</summary>
    public string? Fallback { get; }

    public IReadOnlyList<Regex> FallbackExclude { get; }

    public IReadOnlyDictionary<string, string> GlobalHeaders { get; }

    /// <summary>Reads the file; a malformed one is an error naming it, as the Static Web Apps build would refuse it.</summary>
    public static StaticWebAppConfig Load(string path)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Settings.DevHostStartupException($"{path} is not valid JSON: {e.Message}");
        }

        var routes = new List<StaticRoute>();
        if (root.TryGetProperty("routes", out var routeArray))
        {
            foreach (var route in routeArray.EnumerateArray())
            {
                routes.Add(new StaticRoute(
                    Pattern(route.GetProperty("route").GetString()!),
                    Text(route, "rewrite"),
                    Text(route, "redirect"),
                    route.TryGetProperty("statusCode", out var code) ? code.GetInt32() : null,
                    route.TryGetProperty("methods", out var methods) ? [.. methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())] : null,
                    Headers(route, "headers")));
            }
        }

        string? fallback = null;
        var exclude = new List<Regex>();
        if (root.TryGetProperty("navigationFallback", out var navigation))
        {
            fallback = Text(navigation, "rewrite");
            if (navigation.TryGetProperty("exclude", out var excluded))
            {
                exclude.AddRange(excluded.EnumerateArray().Select(e => Pattern(e.GetString()!)));
            }
        }

        return new StaticWebAppConfig(routes, fallback, exclude, Headers(root, "globalHeaders"));
    }

    /// <summary>
    /// A Static Web Apps wildcard as a regex: <c>*</c> matches any run of characters (across folders, as a trailing
    /// <c>/*</c> does there), <c>{png,jpg}</c> one of the choices; a pattern without a leading slash matches anywhere.
    /// </summary>
    public static Regex Pattern(string wildcard)
    {
        var regex = Regex.Escape(wildcard).Replace(@"\*", ".*", StringComparison.Ordinal);
        regex = Regex.Replace(regex, @"\\\{([^}]*)}", m => "(" + string.Join('|', m.Groups[1].Value.Split(',')) + ")");
        return new Regex((wildcard.StartsWith('/') ? "^" : "") + regex + "$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, string> Headers(JsonElement element, string name) =>
        element.TryGetProperty(name, out var headers) && headers.ValueKind == JsonValueKind.Object
            ? headers.EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString() ?? "", StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One entry of <c>routes</c>.</summary>
internal sealed record StaticRoute(Regex Route, string? Rewrite, string? Redirect, int? StatusCode, IReadOnlyList<string>? Methods, IReadOnlyDictionary<string, string> Headers)
{
    public bool Matches(string method, string path) => Route.IsMatch(path) && (Methods is null || Methods.Contains(method.ToUpperInvariant()));
}
