using BotSociety.Core.Security;

namespace BotSociety.Core.Tests;

/// <summary>Which browser writes are refused: those a page of another site sends, unless its origin is allowed.</summary>
public sealed class CrossSiteWritesTests
{
    private static readonly string[] Own = ["localhost:7071"];
    private static readonly string[] Allowed = ["https://society.example.org"];

    [Theory]
    // Browsers that send Sec-Fetch-Site: it decides.
    [InlineData("POST", "cross-site", "https://evil.example", false)]
    [InlineData("PUT", "same-site", "http://localhost:3000", false)]
    [InlineData("POST", "cross-site", "https://society.example.org", true)]
    [InlineData("POST", "same-origin", "http://localhost:7071", true)]
    [InlineData("POST", "none", null, true)]
    // Browsers that send only Origin: the app's own address or an allowed one.
    [InlineData("POST", null, "https://evil.example", false)]
    [InlineData("DELETE", null, "null", false)]
    [InlineData("POST", null, "http://localhost:7071", true)]
    [InlineData("POST", null, "http://LOCALHOST:7071", true)]
    [InlineData("PUT", null, "https://society.example.org", true)]
    [InlineData("PUT", null, "https://society.example.org:8443", false)]
    // Not a browser acting for a page: curl, SDKs.
    [InlineData("POST", null, null, true)]
    // Reads are never refused here.
    [InlineData("GET", "cross-site", "https://evil.example", true)]
    public void AWriteIsRefusedOnlyWhenABrowserSendsItForAnotherSite(string method, string? fetchSite, string? origin, bool passes)
    {
        var refusal = CrossSiteWrites.Refusal(method, fetchSite, origin, Own, Allowed);

        Assert.True(passes == refusal is null, refusal ?? "passed");
    }

    [Theory]
    [InlineData("https://Society.Example.org", "https://society.example.org")]
    [InlineData("https://society.example.org/", "https://society.example.org")]
    [InlineData("http://localhost:80", "http://localhost")]
    [InlineData("http://localhost:8080", "http://localhost:8080")]
    [InlineData("https://society.example.org/dashboard", null)]
    [InlineData("ftp://society.example.org", null)]
    [InlineData("society.example.org", null)]
    [InlineData("null", null)]
    public void AnOriginIsSchemeHostAndPort(string origin, string? normalized) =>
        Assert.Equal(normalized, CrossSiteWrites.NormalizeOrigin(origin));
}
