using System.Net;
using System.Text.Json;

namespace BotSociety.DevHost.Tests.EndToEnd;

/// <summary>The real worker's HTTP functions and timers, reached the way a user reaches them: over HTTP through devhost.</summary>
public sealed class FunctionsOverHttpTests(DevHostFixture fixture) : IClassFixture<DevHostFixture>
{
    [Fact]
    public async Task HealthAnswersHealthyJson()
    {
        using var response = await fixture.Http.GetAsync(Relative("/api/health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("healthy", body.RootElement.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("identity", null)]
    public async Task TheApisJsonIsCompressedForAClientThatAcceptsIt(string acceptEncoding, string? served)
    {
        // No automatic decompression: the test reads the bytes as sent.
        using var raw = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = fixture.Http.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, Relative("/api/bots"));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        using var response = await raw.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(served is null ? [] : [served], response.Content.Headers.ContentEncoding);
        Stream body = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        body = served switch
        {
            "br" => new System.IO.Compression.BrotliStream(body, System.IO.Compression.CompressionMode.Decompress),
            "gzip" => new System.IO.Compression.GZipStream(body, System.IO.Compression.CompressionMode.Decompress),
            _ => body,
        };
        using var bots = await JsonDocument.ParseAsync(body);
        Assert.True(bots.RootElement.GetProperty("items").GetArrayLength() > 0);
    }

    [Fact]
    public async Task AdminRunOfHeartbeatProducesActivity()
    {
        await fixture.EnsureActivityAsync();

        using var feed = JsonDocument.Parse(await fixture.Http.GetStringAsync(Relative("/api/activity")));
        var first = feed.RootElement.GetProperty("items")[0];
        Assert.False(string.IsNullOrEmpty(first.GetProperty("bot_name").GetString()));
        Assert.True(feed.RootElement.GetProperty("total").GetInt32() > 0);
    }

    [Fact]
    public async Task AdminRunAnswers202AfterTheInvocationSucceeded()
    {
        using var response = await fixture.Http.PostAsync(Relative("/admin/functions/CompressMemory"), content: null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("succeeded", body.RootElement.GetProperty("status").GetString());
        await fixture.DevHost.WaitForLineAsync($"[CompressMemory] Executed (Succeeded, Id={body.RootElement.GetProperty("invocation_id").GetString()}");
    }

    [Fact]
    public async Task QueryParameterReachesTheFunction()
    {
        await fixture.EnsureActivityAsync();

        using var feed = JsonDocument.Parse(await fixture.Http.GetStringAsync(Relative("/api/activity?limit=1")));

        Assert.Equal(1, feed.RootElement.GetProperty("items").GetArrayLength());
        Assert.Equal(1, feed.RootElement.GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task RouteParameterReachesTheFunction()
    {
        using var bots = JsonDocument.Parse(await fixture.Http.GetStringAsync(Relative("/api/bots")));
        var second = bots.RootElement.GetProperty("items")[1];
        var id = second.GetProperty("id").GetInt32();

        using var bot = JsonDocument.Parse(await fixture.Http.GetStringAsync(Relative($"/api/bots/{id}")));

        Assert.Equal(id, bot.RootElement.GetProperty("id").GetInt32());
        Assert.Equal(second.GetProperty("name").GetString(), bot.RootElement.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("/api/bots/999999", HttpStatusCode.NotFound, null)]
    [InlineData("/api/bots/ada", HttpStatusCode.BadRequest, "bot_id")]
    public async Task BadRouteParameterGivesProblemDetails(string path, HttpStatusCode status, string? field)
    {
        using var response = await fixture.Http.GetAsync(Relative(path));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
        }
    }

    [Fact]
    public async Task InvalidQueryParameterGives400ProblemNamingIt()
    {
        using var response = await fixture.Http.GetAsync(Relative("/api/activity?limit=abc"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Theory]
    [InlineData("/api/no-such-function")]
    [InlineData("/nowhere")]
    public async Task UnknownPathGives404ProblemDetails(string path)
    {
        using var response = await fixture.Http.GetAsync(Relative(path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task WrongMethodGives405WithTheAllowedMethods()
    {
        using var response = await fixture.Http.PostAsync(Relative("/api/health"), content: null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("GET", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task AdminRunOfUnknownFunctionGives404()
    {
        using var response = await fixture.Http.PostAsync(Relative("/admin/functions/NoSuchFunction"), content: null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task WithoutStorageTheQueueTriggerSaysItIsNotListeningAndWhy()
    {
        await fixture.DevHost.WaitForLineAsync("Queue trigger RunHeartbeats is not listening on queue 'heartbeats': app setting 'AzureWebJobsStorage' is not set");

        Assert.Equal(1, fixture.DevHost.CountLines("is not listening"));
    }

    private static Uri Relative(string path) => new(path, UriKind.Relative);
}
