using System.Net;
using System.Text.Json;

namespace BotSociety.DevHost.Tests.EndToEnd;

/// <summary>
/// A fork of a society: <c>GET /api/export/society.db</c> from one devhost, put in a second folder as its database, opens
/// in a second devhost as the same society (same totals, no personas seeded over it). The exports stream through
/// devhost's forwarding: no Content-Length, and no compression of a download that is written as it is read.
/// </summary>
public sealed class ForkTests(DevHostFixture fixture) : IClassFixture<DevHostFixture>
{
    [Fact]
    public async Task ADownloadedSocietyOpensInASecondDevHostWithTheSameTotals()
    {
        await fixture.EnsureActivityAsync();
        using var original = await StatsAsync(fixture.Http);

        using var fork = new SocietyFolder();
        using (var response = await fixture.Http.GetAsync(new Uri("/api/export/society.db", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/vnd.sqlite3", response.Content.Headers.ContentType?.MediaType);
            await using var file = File.Create(fork.DatabasePath);
            await response.Content.CopyToAsync(file);
        }

        await using var second = DevHostProcess.Start(fork.SettingsPath);
        await second.WaitUntilHealthyAsync();
        using var forked = await StatsAsync(second.Http);

        Assert.Equal(original.RootElement.GetProperty("totals").ToString(), forked.RootElement.GetProperty("totals").ToString());
        Assert.Equal(original.RootElement.GetProperty("actions_per_bot").ToString(), forked.RootElement.GetProperty("actions_per_bot").ToString());
    }

    [Theory]
    [InlineData("/api/export/activity.jsonl", "application/x-ndjson")]
    [InlineData("/api/export/activity.csv", "text/csv")]
    public async Task AnExportStreamsThroughDevHostUncompressed(string path, string mediaType)
    {
        await fixture.EnsureActivityAsync();
        using var raw = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = fixture.Http.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "br, gzip");

        using var response = await raw.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        var text = await response.Content.ReadAsStringAsync();
        using var feed = JsonDocument.Parse(await fixture.Http.GetStringAsync(new Uri("/api/activity", UriKind.Relative)));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        // Heartbeats run only when the tests ask, so the feed and the export see the same rows (CSV adds its header).
        Assert.Equal(feed.RootElement.GetProperty("total").GetInt32() + (mediaType == "text/csv" ? 1 : 0), lines);
    }

    private static async Task<JsonDocument> StatsAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/stats", UriKind.Relative)));
}
