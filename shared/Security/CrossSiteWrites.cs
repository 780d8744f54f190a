namespace BotSociety.Core.Security;

/// <summary>
/// Whether a write may come from where the browser says it comes from. A page on any web site can make a browser send
/// a simple <c>POST</c> (no preflight) to a society on the user's own machine, where no key is asked for; browsers say
/// where such a request comes from in <c>Sec-Fetch-Site</c> (all current ones) and <c>Origin</c>. A write is refused
/// when either names another site than the app's own or a configured <see cref="ApiOptions.AllowedOrigins"/> entry.
/// A client that sends neither header (curl, SDKs, servers) is not a browser acting for someone else, and passes.
/// </summary>
public static class CrossSiteWrites
{
    /// <summary>Null when the write may go on; otherwise why it is refused, for the 403's detail.</summary>
    /// <param name="method">The request's method; reads are never refused here.</param>
    /// <param name="fetchSite">The <c>Sec-Fetch-Site</c> header, if sent.</param>
    /// <param name="origin">The <c>Origin</c> header, if sent.</param>
    /// <param name="ownAuthorities">The <c>host[:port]</c> names the request reached the app by (<c>Host</c>, <c>X-Forwarded-Host</c>).</param>
    /// <param name="allowedOrigins">The configured origins, normalized (<see cref="NormalizeOrigin"/>).</param>
    public static string? Refusal(string method, string? fetchSite, string? origin, IEnumerable<string> ownAuthorities, IReadOnlyCollection<string> allowedOrigins)
    {
        if (HttpMethods.IsSafe(method))
        {
            return null;
        }

        var normalized = string.IsNullOrEmpty(origin) ? null : NormalizeOrigin(origin);
        var allowed = normalized is not null && allowedOrigins.Contains(normalized, StringComparer.Ordinal);
        switch (fetchSite?.Trim().ToLowerInvariant())
        {
            case "same-origin" or "none":
                return null;
            case "same-site" or "cross-site":
                return allowed ? null : $"a write from a page of another site ({Describe(origin)}) is refused; Api:AllowedOrigins lists the origins allowed";
        }

        if (string.IsNullOrEmpty(origin))
        {
            return null;
        }

        if (allowed)
        {
            return null;
        }

        var authority = normalized is null ? null : new Uri(normalized).Authority;
        return authority is not null && ownAuthorities.Any(a => string.Equals(a, authority, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"a write from a page of another origin ({Describe(origin)}) is refused; Api:AllowedOrigins lists the origins allowed";
    }

    /// <summary><c>scheme://host[:port]</c> in lower case with a default port left out, or null when it is not an http(s) origin.</summary>
    public static string? NormalizeOrigin(string origin) =>
        Uri.TryCreate(origin.Trim(), UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo)
            ? uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant()
            : null;

    private static string Describe(string? origin) => string.IsNullOrEmpty(origin) ? "no Origin sent" : $"Origin {origin}";

    private static class HttpMethods
    {
        public static bool IsSafe(string method) =>
            method.Equals("GET", StringComparison.OrdinalIgnoreCase) || method.Equals("HEAD", StringComparison.OrdinalIgnoreCase)
            || method.Equals("OPTIONS", StringComparison.OrdinalIgnoreCase);
    }
}
