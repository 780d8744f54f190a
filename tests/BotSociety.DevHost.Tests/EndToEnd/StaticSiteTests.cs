using System.Net;

namespace BotSociety.DevHost.Tests.EndToEnd;

/// <summary>
/// devhost serving a built site with --static-root as Azure Static Web Apps would: files, the single-page
/// fallback for deep links, its exclusions, headers and rewrites from staticwebapp.config.json, and the API's
/// paths left to the functions.
/// </summary>
public sealed class StaticSiteTests(StaticSiteFixture fixture) : IClassFixture<StaticSiteFixture>
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task TheSiteIsServedWithItsHeaders()
    {
        using var index = await Http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        Assert.Contains("the app", await index.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("nosniff", index.Headers.GetValues("x-content-type-options").Single());

        using var script = await Http.GetAsync(new Uri("/assets/app-1234.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", script.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip, deflate", "gzip")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("identity", null)]
    public async Task APrecompressedCopyIsServedToAClientThatAcceptsItWithTheSameCaching(string acceptEncoding, string? served)
    {
        // No automatic decompression: the test reads the bytes as sent.
        using var raw = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = Http.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/assets/big-5678.js", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        using var response = await raw.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal(served is null ? [] : [served], response.Content.Headers.ContentEncoding);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Stream body = new MemoryStream(bytes);
        body = served switch
        {
            "br" => new System.IO.Compression.BrotliStream(body, System.IO.Compression.CompressionMode.Decompress),
            "gzip" => new System.IO.Compression.GZipStream(body, System.IO.Compression.CompressionMode.Decompress),
            _ => body,
        };
        using var reader = new StreamReader(body);
        Assert.Equal(StaticSiteFixture.BigScript, await reader.ReadToEndAsync());
        Assert.True(served is null || bytes.Length < StaticSiteFixture.BigScript.Length / 10, $"{bytes.Length} bytes sent");
    }

    [Theory]
    [InlineData("/bots/3")]
    [InlineData("/stats")]
    [InlineData("/threads/12?tab=votes")]
    public async Task ADeepLinkGetsTheAppsPage(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("the app", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/assets/missing.js")]
    [InlineData("/favicon.ico")]
    public async Task ExcludedPathsAreNotFoundRatherThanTheApp(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task RewritesAndRedirectsFollowTheConfig()
    {
        using var rewritten = await Http.GetAsync(new Uri("/info", UriKind.Relative));
        Assert.Contains("about", await rewritten.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Http.BaseAddress };
        using var redirected = await noRedirects.GetAsync(new Uri("/old-stats", UriKind.Relative));
        Assert.Equal(HttpStatusCode.MovedPermanently, redirected.StatusCode);
        Assert.Equal("/stats", redirected.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task TheApiStaysTheFunctions()
    {
        using var health = await Http.GetAsync(new Uri("/api/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        using var unknown = await Http.GetAsync(new Uri("/api/no-such-function", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.DoesNotContain("the app", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

/// <summary>One devhost serving a small built site, shared by the tests of <see cref="StaticSiteTests"/>.</summary>
public sealed class StaticSiteFixture : IAsyncLifetime, IDisposable
{
    private readonly SocietyFolder society = new();
    private readonly DirectoryInfo site = Directory.CreateTempSubdirectory("devhost-site-");
    private DevHostProcess? devHost;

    public static readonly string BigScript = string.Concat(Enumerable.Repeat("console.log('a line the build compresses');\n", 200));

    public HttpClient Http => devHost!.Http;

    private static byte[] Compress(string text, Func<Stream, Stream> wrap)
    {
        using var buffer = new MemoryStream();
        using (var compressor = wrap(buffer))
        {
            compressor.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    public async Task InitializeAsync()
    {
        var dist = Directory.CreateDirectory(Path.Combine(site.FullName, "dist"));
        Directory.CreateDirectory(Path.Combine(dist.FullName, "assets"));
        await File.WriteAllTextAsync(Path.Combine(dist.FullName, "index.html"), "<!doctype html><title>the app</title>");
        await File.WriteAllTextAsync(Path.Combine(dist.FullName, "assets", "app-1234.js"), "console.log('app');");
        await File.WriteAllTextAsync(Path.Combine(dist.FullName, "about.html"), "<!doctype html><title>about</title>");

        // What the dashboard's build writes beside a compressible file: its brotli and gzip copies.
        var big = Path.Combine(dist.FullName, "assets", "big-5678.js");
        await File.WriteAllTextAsync(big, BigScript);
        await File.WriteAllBytesAsync(big + ".br", Compress(BigScript, s => new System.IO.Compression.BrotliStream(s, System.IO.Compression.CompressionLevel.SmallestSize)));
        await File.WriteAllBytesAsync(big + ".gz", Compress(BigScript, s => new System.IO.Compression.GZipStream(s, System.IO.Compression.CompressionLevel.SmallestSize)));

        // Beside the built files' folder, where the app's source keeps it.
        await File.WriteAllTextAsync(Path.Combine(site.FullName, "staticwebapp.config.json"), """
            {
              // comments are allowed, as Static Web Apps allows them
              "routes": [
                { "route": "/assets/*", "headers": { "cache-control": "public, max-age=31536000, immutable" } },
                { "route": "/info", "rewrite": "/about.html" },
                { "route": "/old-stats", "redirect": "/stats", "statusCode": 301 }
              ],
              "navigationFallback": { "rewrite": "/index.html", "exclude": ["/assets/*", "*.{png,ico}"] },
              "globalHeaders": { "x-content-type-options": "nosniff" }
            }
            """);
        devHost = DevHostProcess.Start(society.SettingsPath, null, "--static-root", dist.FullName);
        await devHost.WaitUntilHealthyAsync();
    }

    public async Task DisposeAsync()
    {
        if (devHost is not null)
        {
            await devHost.DisposeAsync();
        }
    }

    // After DisposeAsync: the worker is gone by then, so its folders can be deleted.
    public void Dispose()
    {
        society.Dispose();
        site.Delete(recursive: true);
    }
}
