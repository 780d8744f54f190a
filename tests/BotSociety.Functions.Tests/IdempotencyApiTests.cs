using System.Net;
using System.Text;
using System.Text.Json;

namespace BotSociety.Functions.Tests;

/// <summary>
/// <c>Idempotency-Key</c> on writes over HTTP: a repeat gets the first answer and changes nothing, a key reused for
/// another request is 422, a malformed key is 400. Each test uses keys of its own.
/// </summary>
public sealed class IdempotencyApiTests(PopulatedSociety society) : IClassFixture<PopulatedSociety>
{
    [Fact]
    public async Task ARepeatGetsTheFirstAnswerWithoutActingAgain()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await PutPaceAsync("fast", key);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        var firstBody = await first.Content.ReadAsStringAsync();

        // Changed since by a request without a key: a repeat that acted again would set it back to fast.
        using (var other = await PutPaceAsync("slow", key: null))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        using var repeat = await PutPaceAsync("fast", key);

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal("true", Assert.Single(repeat.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal("application/json", repeat.Content.Headers.ContentType?.MediaType);
        Assert.Equal(firstBody, await repeat.Content.ReadAsStringAsync());
        using var now = await society.GetJsonAsync("/api/pace");
        Assert.Equal("slow", now.RootElement.GetProperty("pace").GetString());
        using var _ = await PutPaceAsync("normal", key: null);
    }

    [Fact]
    public async Task AKeyReusedForAnotherRequestIs422AndChangesNothing()
    {
        var key = $"\"{Guid.NewGuid()}\"";
        using (var first = await society.Http.SendAsync(Request(HttpMethod.Post, "/api/bots/4/pause", null, key)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var resumed = await society.Http.SendAsync(Request(HttpMethod.Post, "/api/bots/4/resume", null, null)))
        {
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        }

        // Another path, then another body on the first path's sibling write: both are other requests.
        using var otherPath = await society.Http.SendAsync(Request(HttpMethod.Post, "/api/bots/5/pause", null, key));
        await AssertProblemAsync(otherPath, HttpStatusCode.UnprocessableEntity);
        var paceKey = Guid.NewGuid().ToString();
        using (var pace = await PutPaceAsync("normal", paceKey))
        {
            Assert.Equal(HttpStatusCode.OK, pace.StatusCode);
        }

        using var otherBody = await PutPaceAsync("fast", paceKey);
        await AssertProblemAsync(otherBody, HttpStatusCode.UnprocessableEntity);

        using var bot5 = await society.GetJsonAsync("/api/bots/5");
        Assert.Equal("active", bot5.RootElement.GetProperty("status").GetString());
        using var pace2 = await society.GetJsonAsync("/api/pace");
        Assert.Equal("normal", pace2.RootElement.GetProperty("pace").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"\"")]
    [InlineData("x300")]
    public async Task AMalformedKeyIs400NamingTheHeader(string key)
    {
        var value = key == "x300" ? new string('x', 300) : key;

        using var response = await society.Http.SendAsync(Request(HttpMethod.Post, "/api/bots/6/pause", null, value));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        using var bot = await society.GetJsonAsync("/api/bots/6");
        Assert.Equal("active", bot.RootElement.GetProperty("status").GetString());
    }

    private Task<HttpResponseMessage> PutPaceAsync(string pace, string? key) =>
        society.Http.SendAsync(Request(HttpMethod.Put, "/api/pace", $$"""{"pace": "{{pace}}"}""", key));

    private static HttpRequestMessage Request(HttpMethod method, string path, string? json, string? key)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        return request;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), problem.RootElement.ToString());
    }
}
