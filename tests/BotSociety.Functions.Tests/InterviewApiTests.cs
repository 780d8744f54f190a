using System.Net;
using System.Text.Json;

namespace BotSociety.Functions.Tests;

/// <summary>
/// Interviewing a bot over HTTP: the offline model answers from the bot's own memory; the call counts in its usage
/// and caps but is no society activity; paused and capped bots are refused, and bad questions are 400.
/// </summary>
public sealed class InterviewApiTests(PopulatedSociety society) : IClassFixture<PopulatedSociety>
{
    [Fact]
    public async Task TheOfflineBotAnswersFromWhatItRemembers()
    {
        var (bot, trusted, joined) = await BotWithMemoryAsync();

        using var answer = await AskAsync(bot, "Whom do you trust here, and which threads did you join?", HttpStatusCode.OK);
        using var again = await AskAsync(bot, "Whom do you trust here, and which threads did you join?", HttpStatusCode.OK);

        var root = answer.RootElement;
        var text = root.GetProperty("answer").GetString()!;
        Assert.Equal("offline-simulator", root.GetProperty("model").GetString());
        Assert.True(root.GetProperty("simulated").GetBoolean());
        Assert.True(root.GetProperty("tokens_used").GetInt32() > 0);
        Assert.Equal(0, root.GetProperty("cost_usd").GetDouble());
        Assert.Contains($"I trust {trusted}", text, StringComparison.Ordinal);
        Assert.Contains(joined, text, StringComparison.Ordinal);
        Assert.Equal(text, again.RootElement.GetProperty("answer").GetString());
    }

    [Fact]
    public async Task AnInterviewCountsInUsageButIsNoActivity()
    {
        var (bot, _, _) = await BotWithMemoryAsync();
        var activityBefore = (await society.ActivityAsync()).Count;
        var tokensBefore = await TokensTodayAsync(bot);

        using var answer = await AskAsync(bot, "What have you been doing lately?", HttpStatusCode.OK);

        Assert.Equal(activityBefore, (await society.ActivityAsync()).Count);
        Assert.Equal(tokensBefore + answer.RootElement.GetProperty("tokens_used").GetInt32(), await TokensTodayAsync(bot));
        using var usage = await society.GetJsonAsync("/api/stats/usage");
        var interviews = usage.RootElement.GetProperty("by_model").EnumerateArray().Where(m => m.GetProperty("kind").GetString() == "interview").ToList();
        Assert.NotEmpty(interviews);
        Assert.True(interviews.Sum(m => m.GetProperty("input_tokens").GetInt64() + m.GetProperty("output_tokens").GetInt64()) >= answer.RootElement.GetProperty("tokens_used").GetInt32());
    }

    [Theory]
    [InlineData("{\"question\": \"\"}")]
    [InlineData("{\"question\": \"   \"}")]
    [InlineData("{}")]
    [InlineData("{\"question\": 5}")]
    [InlineData("LONG")]
    public async Task AnEmptyOrOverlongQuestionIs400NamingIt(string body)
    {
        var json = body == "LONG" ? JsonSerializer.Serialize(new { question = new string('a', 2001) }) : body;

        var (response, text) = await society.SendAsync(HttpMethod.Post, "/api/bots/1/interview", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("question", out _), text);
    }

    [Fact]
    public async Task AnUnknownBotIs404AndABadIdIs400()
    {
        var (missing, _) = await society.SendAsync(HttpMethod.Post, "/api/bots/9999/interview", "{\"question\": \"Hello?\"}");
        var (bad, text) = await society.SendAsync(HttpMethod.Post, "/api/bots/abc/interview", "{\"question\": \"Hello?\"}");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("bot_id", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APausedOrCappedBotAnswers409SayingSo()
    {
        using var bots = await society.GetJsonAsync("/api/bots");
        var ids = bots.RootElement.GetProperty("items").EnumerateArray().Select(b => b.GetProperty("id").GetInt32()).ToList();
        var paused = ids[^1];
        var capped = ids[^2];
        (await society.SendAsync(HttpMethod.Post, $"/api/bots/{paused}/pause", null)).Response.Dispose();
        (await society.SendAsync(HttpMethod.Put, $"/api/bots/{capped}/cost-cap", "{\"daily_token_cap\": 1, \"daily_cost_cap_usd\": null}")).Response.Dispose();
        try
        {
            var (pausedResponse, pausedText) = await society.SendAsync(HttpMethod.Post, $"/api/bots/{paused}/interview", "{\"question\": \"Hello?\"}");
            var (cappedResponse, cappedText) = await society.SendAsync(HttpMethod.Post, $"/api/bots/{capped}/interview", "{\"question\": \"Hello?\"}");

            Assert.Equal(HttpStatusCode.Conflict, pausedResponse.StatusCode);
            Assert.Contains("paused", JsonDocument.Parse(pausedText).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Conflict, cappedResponse.StatusCode);
            Assert.Contains("capped", JsonDocument.Parse(cappedText).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            (await society.SendAsync(HttpMethod.Post, $"/api/bots/{paused}/resume", null)).Response.Dispose();
            (await society.SendAsync(HttpMethod.Put, $"/api/bots/{capped}/cost-cap", "{\"daily_token_cap\": null, \"daily_cost_cap_usd\": null}")).Response.Dispose();
        }
    }

    /// <summary>A bot that joined a thread and trusts someone; the name it trusts most and the title of a thread it joined.</summary>
    private async Task<(int Bot, string Trusted, string Joined)> BotWithMemoryAsync()
    {
        var feed = await society.ActivityAsync();
        using var bots = await society.GetJsonAsync("/api/bots");
        foreach (var bot in bots.RootElement.GetProperty("items").EnumerateArray().Select(b => b.GetProperty("id").GetInt32()))
        {
            using var memory = await society.GetJsonAsync($"/api/bots/{bot}/memory/warm?limit=200");
            var friend = memory.RootElement.GetProperty("relationships").GetProperty("items").EnumerateArray()
                .Where(r => r.GetProperty("sentiment").GetDouble() > 0)
                .OrderByDescending(r => r.GetProperty("sentiment").GetDouble()).ThenBy(r => r.GetProperty("subject").GetString(), StringComparer.Ordinal)
                .Select(r => r.GetProperty("subject").GetString()).FirstOrDefault();
            var thread = feed.Where(a => a.GetProperty("bot_id").ValueKind == JsonValueKind.Number && a.GetProperty("bot_id").GetInt32() == bot
                    && a.GetProperty("action").GetString() == "create_thread")
                .Select(a => a.GetProperty("details").GetProperty("title").GetString()).FirstOrDefault();
            if (friend is not null && thread is not null)
            {
                return (bot, friend, thread);
            }
        }

        Assert.Fail("No bot both started a thread and trusts someone.");
        return default;
    }

    private async Task<long> TokensTodayAsync(int bot)
    {
        using var usage = await society.GetJsonAsync($"/api/stats/usage?bot_id={bot}");
        var today = usage.RootElement.GetProperty("to").GetString();
        return usage.RootElement.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("day").GetString() == today).Sum(i => i.GetProperty("total_tokens").GetInt64());
    }

    private async Task<JsonDocument> AskAsync(int bot, string question, HttpStatusCode status)
    {
        var (response, text) = await society.SendAsync(HttpMethod.Post, $"/api/bots/{bot}/interview", JsonSerializer.Serialize(new { question }));
        Assert.True(response.StatusCode == status, $"interview answered {response.StatusCode}: {text}");
        return JsonDocument.Parse(text);
    }
}
