using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace BotSociety.Functions.Tests;

/// <summary>The export endpoints over HTTP: every table in both formats, the filters, the fork file, and each bad input.</summary>
public sealed class ExportApiTests(PopulatedSociety society) : IClassFixture<PopulatedSociety>
{
    private static readonly string[] Categories = ["facts", "relationships", "opinions", "interests"];

    [Fact]
    public async Task ActivityJsonlHoldsEveryRowOfTheFeedOldestFirst()
    {
        var feed = await society.ActivityAsync();

        var (response, text) = await GetAsync("/api/export/activity.jsonl");

        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(feed.Count, rows.Count);
        Assert.Equal(feed.Select(a => a.GetProperty("id").GetInt64()).Order(), rows.Select(r => r.GetProperty("id").GetInt64()));
        var newest = rows[^1];
        var same = feed.Single(a => a.GetProperty("id").GetInt64() == newest.GetProperty("id").GetInt64());
        Assert.Equal(same.GetProperty("action").GetString(), newest.GetProperty("action").GetString());
        Assert.Equal(same.GetProperty("bot_id").GetInt32(), newest.GetProperty("bot_id").GetInt32());
        Assert.Equal(JsonValueKind.Object, newest.GetProperty("details").ValueKind);
        Assert.Equal(same.GetProperty("tokens_used").GetInt32(), newest.GetProperty("input_tokens").GetInt32() + newest.GetProperty("output_tokens").GetInt32());
        Assert.Equal(Instant(same.GetProperty("timestamp").GetString()!), Instant(newest.GetProperty("timestamp").GetString()!));
    }

    [Fact]
    public async Task ThreadsCsvFollowsRfc4180AndReadsBackToTheThreads()
    {
        using var list = await society.GetJsonAsync("/api/threads?limit=100");
        var threads = list.RootElement.GetProperty("items").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetInt32(), t => t.GetProperty("title").GetString());

        var (response, text) = await GetAsync("/api/export/threads.csv");

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        var records = Csv.Parse(text);
        var header = records[0];
        string[] columns = ["body", "bot_id", "created_at", "id", "last_activity_at", "reply_count", "score", "title", "topic"];
        Assert.Equal(columns, header.Order(StringComparer.Ordinal));
        var rows = records.Skip(1).ToList();
        Assert.Equal(threads.Count, rows.Count);
        foreach (var row in rows)
        {
            var id = int.Parse(row[header.IndexOf("id")], CultureInfo.InvariantCulture);
            Assert.Equal(threads[id], row[header.IndexOf("title")]);
        }

        // A body with line breaks or quotes is one field all the same: every record has the header's width.
        Assert.All(rows, r => Assert.Equal(header.Count, r.Count));
    }

    [Theory]
    [InlineData("activity", "activities")]
    [InlineData("threads", "threads")]
    [InlineData("posts", "posts")]
    [InlineData("votes", "votes")]
    [InlineData("follows", "follows")]
    public async Task EachTableHasAsManyRowsAsTheStatsCount(string table, string total)
    {
        using var stats = await society.GetJsonAsync("/api/stats");
        var expected = stats.RootElement.GetProperty("totals").GetProperty(total).GetInt32();

        var (_, jsonl) = await GetAsync($"/api/export/{table}.jsonl");
        var (_, csv) = await GetAsync($"/api/export/{table}.csv");

        Assert.Equal(expected, jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(expected, Csv.Parse(csv).Count - 1);
    }

    [Fact]
    public async Task MemoriesAreTheWarmMemoriesOfEachBot()
    {
        using var bots = await society.GetJsonAsync("/api/bots");
        var bot = bots.RootElement.GetProperty("items")[0].GetProperty("id").GetInt32();
        using var memory = await society.GetJsonAsync($"/api/bots/{bot}/memory/warm?limit=200");
        var expected = Categories.Sum(c => memory.RootElement.GetProperty(c).GetProperty("total").GetInt32());

        var (_, text) = await GetAsync($"/api/export/memories.jsonl?bot_id={bot}");

        var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(expected, rows.Count);
        Assert.All(rows, r => Assert.Equal(bot, r.GetProperty("bot_id").GetInt32()));
    }

    [Fact]
    public async Task FiltersKeepOnlyTheRowsTheyName()
    {
        var feed = await society.ActivityAsync();
        var bot = feed.First(a => a.GetProperty("bot_id").ValueKind == JsonValueKind.Number).GetProperty("bot_id").GetInt32();
        var moments = feed.Select(a => Instant(a.GetProperty("timestamp").GetString()!)).Order().ToList();
        var middle = moments[moments.Count / 2];
        var since = middle.ToString("O", CultureInfo.InvariantCulture);

        var (_, mine) = await GetAsync($"/api/export/activity.jsonl?bot_id={bot}");
        var (_, later) = await GetAsync($"/api/export/activity.jsonl?since={Uri.EscapeDataString(since)}");
        var (_, earlier) = await GetAsync($"/api/export/activity.csv?until={Uri.EscapeDataString(since)}");

        Assert.Equal(feed.Count(a => a.GetProperty("bot_id").ValueKind == JsonValueKind.Number && a.GetProperty("bot_id").GetInt32() == bot), Lines(mine));
        Assert.Equal(moments.Count(m => m >= middle), Lines(later));
        Assert.Equal(moments.Count(m => m < middle), Csv.Parse(earlier).Count - 1);
    }

    [Theory]
    [InlineData("/api/export/people.jsonl", HttpStatusCode.NotFound, null)]
    [InlineData("/api/export/activity.xml", HttpStatusCode.NotFound, null)]
    [InlineData("/api/export/activity.jsonl?bot_id=9999", HttpStatusCode.NotFound, null)]
    [InlineData("/api/export/activity.jsonl?since=yesterday", HttpStatusCode.BadRequest, "since")]
    [InlineData("/api/export/posts.csv?until=2026-13-45", HttpStatusCode.BadRequest, "until")]
    [InlineData("/api/export/posts.csv?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z", HttpStatusCode.BadRequest, "until")]
    [InlineData("/api/export/votes.jsonl?bot_id=abc", HttpStatusCode.BadRequest, "bot_id")]
    public async Task BadInputIsProblemDetailsNamingTheField(string path, HttpStatusCode status, string? field)
    {
        using var problem = await society.GetProblemAsync(path, status);

        if (field is not null)
        {
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
        }
    }

    [Fact]
    public async Task SocietyDbIsASelfContainedSqliteCopyOfTheSociety()
    {
        var feed = await society.ActivityAsync();
        var file = Path.Combine(Path.GetTempPath(), $"fork-{Guid.NewGuid():N}.db");
        try
        {
            // Not through the contract checker, which reads bodies as text: this one is bytes.
            using (var http = new HttpClient { BaseAddress = society.Http.BaseAddress })
            using (var response = await http.GetAsync(new Uri("/api/export/society.db", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("application/vnd.sqlite3", response.Content.Headers.ContentType?.MediaType);
                await File.WriteAllBytesAsync(file, await response.Content.ReadAsByteArrayAsync());
            }

            Assert.Equal("SQLite format 3\0", Encoding.ASCII.GetString(File.ReadAllBytes(file).AsSpan(0, 16)));
            await using var sqlite = new SqliteConnection($"Data Source={file};Pooling=False;Mode=ReadOnly");
            await sqlite.OpenAsync();
            Assert.Equal(feed.Count, await ScalarAsync(sqlite, "SELECT COUNT(*) FROM activity_log"));
            Assert.Equal("delete", await TextAsync(sqlite, "PRAGMA journal_mode"));
            Assert.Equal("ok", await TextAsync(sqlite, "PRAGMA integrity_check"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }

        // The snapshot was made in the temp folder and is gone once sent.
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), "botsociety-snapshot-*"));
    }

    private async Task<(HttpResponseMessage Response, string Text)> GetAsync(string path)
    {
        var response = await society.Http.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {response.StatusCode}: {text}");
        return (response, text);
    }

    private static int Lines(string jsonl) => jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    private static DateTime Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).UtcDateTime;

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string> TextAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>An RFC 4180 reader for the tests: quoted fields may hold commas, CRLF and doubled quotes; records end with CRLF.</summary>
internal static class Csv
{
    public static List<List<string>> Parse(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"' && field.Length == 0)
            {
                i++;
                while (true)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        field.Append(text[i++]);
                    }
                }
            }
            else if (text[i] == ',')
            {
                record.Add(field.ToString());
                field.Clear();
                i++;
            }
            else if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i += 2;
            }
            else
            {
                Assert.False(text[i] is '\r' or '\n' or '"', $"An unquoted field holds a {(int)text[i]} at {i}.");
                field.Append(text[i++]);
            }
        }

        Assert.Empty(record);
        return records;
    }
}
