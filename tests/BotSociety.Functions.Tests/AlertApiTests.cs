using System.Net;
using System.Text.Json;

namespace BotSociety.Functions.Tests;

/// <summary>
/// The alert rules over HTTP as devhost runs them: create, read, replace and delete, each in the audit trail; the
/// secret never in any answer; every bad request refused with problem details naming its field, and nothing written.
/// </summary>
public sealed class AlertApiTests(AlertSociety society) : IClassFixture<AlertSociety>
{
    private const string Secret = "hush-hush-secret-1";

    [Fact]
    public async Task ARuleRoundTripsWithoutItsSecretAndEveryWriteIsAudited()
    {
        const string Body = $$"""{"kind": "heartbeat_failed", "bot_id": 1, "count": 3, "window_minutes": 15, "webhook_url": "https://hooks.example.com/botsociety", "secret": "{{Secret}}"}""";
        var (created, createdText) = await society.SendWithHeadersAsync(HttpMethod.Post, "/api/alerts", Body);
        int id;
        using (created)
        {
            Assert.True(created.StatusCode == HttpStatusCode.Created, createdText);
            using var rule = JsonDocument.Parse(createdText);
            id = rule.RootElement.GetProperty("alert_id").GetInt32();
            Assert.EndsWith($"/api/alerts/{id}", created.Headers.Location?.ToString(), StringComparison.Ordinal);
            AssertRule(rule.RootElement, "heartbeat_failed", botId: 1, count: 3, window: 15, webhook: "https://hooks.example.com/botsociety");
            Assert.Equal("Ada", rule.RootElement.GetProperty("bot_name").GetString());
            Assert.Empty(rule.RootElement.GetProperty("firing").EnumerateArray());
        }

        AssertRule(await society.GetJsonAsync($"/api/alerts/{id}"), "heartbeat_failed", botId: 1, count: 3, window: 15, webhook: "https://hooks.example.com/botsociety");
        var listed = Assert.Single((await society.GetJsonAsync("/api/alerts")).EnumerateArray(), r => r.GetProperty("alert_id").GetInt32() == id);
        AssertRule(listed, "heartbeat_failed", botId: 1, count: 3, window: 15, webhook: "https://hooks.example.com/botsociety");

        // A replace that leaves the secret out keeps it while the webhook stays.
        var (status, replaced) = await society.SendAsync(HttpMethod.Put, $"/api/alerts/{id}",
            """{"kind": "heartbeat_failed", "count": 5, "window_minutes": 30, "webhook_url": "https://hooks.example.com/other"}""");
        Assert.True(status == HttpStatusCode.OK, replaced);
        using (var rule = JsonDocument.Parse(replaced))
        {
            AssertRule(rule.RootElement, "heartbeat_failed", botId: null, count: 5, window: 30, webhook: "https://hooks.example.com/other");
        }

        // A null secret removes it, which a webhook cannot do without.
        var problem = await society.ProblemAsync(HttpMethod.Put, $"/api/alerts/{id}",
            """{"kind": "heartbeat_failed", "count": 5, "window_minutes": 30, "webhook_url": "https://hooks.example.com/other", "secret": null}""", HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("secret", out _), problem.ToString());

        var (switched, switchedText) = await society.SendAsync(HttpMethod.Put, $"/api/alerts/{id}", """{"kind": "spend", "bot_id": 2, "percent": 80}""");
        Assert.True(switched == HttpStatusCode.OK, switchedText);
        using (var rule = JsonDocument.Parse(switchedText))
        {
            Assert.Equal("spend", rule.RootElement.GetProperty("kind").GetString());
            Assert.Equal(80, rule.RootElement.GetProperty("percent").GetDouble());
            Assert.Equal(JsonValueKind.Null, rule.RootElement.GetProperty("count").ValueKind);
            Assert.Equal(JsonValueKind.Null, rule.RootElement.GetProperty("webhook_url").ValueKind);
            Assert.False(rule.RootElement.GetProperty("has_secret").GetBoolean());
        }

        var (deleted, deletedText) = await society.SendAsync(HttpMethod.Delete, $"/api/alerts/{id}");
        Assert.True(deleted == HttpStatusCode.NoContent, deletedText);
        Assert.Empty(deletedText);
        await society.ProblemAsync(HttpMethod.Get, $"/api/alerts/{id}", null, HttpStatusCode.NotFound);
        await society.ProblemAsync(HttpMethod.Delete, $"/api/alerts/{id}", null, HttpStatusCode.NotFound);
        Assert.DoesNotContain((await society.GetJsonAsync("/api/alerts")).EnumerateArray(), r => r.GetProperty("alert_id").GetInt32() == id);

        // The audit trail: who, and the rule before and after each write, never the secret.
        var createdRow = await AuditRowAsync("alert_rule_created", id);
        Assert.Equal(JsonValueKind.Null, createdRow.GetProperty("details").GetProperty("before").ValueKind);
        Assert.Equal(3, createdRow.GetProperty("details").GetProperty("after").GetProperty("count").GetInt32());
        Assert.True(createdRow.GetProperty("details").GetProperty("after").GetProperty("has_secret").GetBoolean());
        Assert.Equal(1, createdRow.GetProperty("bot_id").GetInt32());
        var updates = (await society.GetJsonAsync("/api/activity?action=alert_rule_updated&limit=200")).GetProperty("items").EnumerateArray()
            .Where(r => r.GetProperty("details").GetProperty("alert_id").GetInt32() == id).ToList();
        Assert.Equal(2, updates.Count);
        Assert.All(updates, u => Assert.Equal("operator", u.GetProperty("actor").GetString()));
        Assert.Equal(["kind", "bot_id", "count", "window_minutes", "percent", "webhook_url", "secret"],
            updates[0].GetProperty("details").GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(5, updates[0].GetProperty("details").GetProperty("before").GetProperty("count").GetInt32());
        var deletedRow = await AuditRowAsync("alert_rule_deleted", id);
        Assert.Equal(JsonValueKind.Null, deletedRow.GetProperty("details").GetProperty("after").ValueKind);

        var (_, feed) = await society.SendAsync(HttpMethod.Get, "/api/activity?limit=200");
        Assert.DoesNotContain(Secret, feed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kind": "thunder"}""", "kind", HttpStatusCode.BadRequest)]
    [InlineData("""{"count": 3, "window_minutes": 10}""", "kind", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "heartbeat_failed", "count": -1, "window_minutes": 10}""", "count", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "heartbeat_failed", "count": 2.5, "window_minutes": 10}""", "count", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "heartbeat_failed", "count": 3}""", "window_minutes", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "reputation_drop", "points": 5, "window_minutes": 10081}""", "window_minutes", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "reputation_drop", "points": 0, "window_minutes": 60}""", "points", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "spend", "percent": 101}""", "percent", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "usage_capped", "count": 3}""", "count", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "spend", "percent": 50, "points": 2}""", "points", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "events_lost", "bot_id": 1}""", "bot_id", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "usage_capped", "bot_id": -3}""", "bot_id", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "usage_capped", "webhook_url": "ftp://x", "secret": "12345678"}""", "webhook_url", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "usage_capped", "webhook_url": "not a url", "secret": "12345678"}""", "webhook_url", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "usage_capped", "webhook_url": "https://hooks.example.com/x"}""", "secret", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "usage_capped", "webhook_url": "https://hooks.example.com/x", "secret": "short"}""", "secret", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "usage_capped", "secret": "12345678"}""", "secret", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "usage_capped", "severity": "high"}""", "severity", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "usage_capped",""", "body", HttpStatusCode.BadRequest)]
    [InlineData("""["usage_capped"]""", "body", HttpStatusCode.BadRequest)]
    [InlineData("""{"kind": "usage_capped", "bot_id": 999}""", "bot_id", HttpStatusCode.NotFound)]
    public async Task ABadRuleIsRefusedNamingItsFieldAndNothingIsWritten(string body, string field, HttpStatusCode status)
    {
        var before = (await society.GetJsonAsync("/api/alerts")).ToString();
        var audited = await AuditCountAsync();

        var problem = await society.ProblemAsync(HttpMethod.Post, "/api/alerts", body, status);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, (await society.GetJsonAsync("/api/alerts")).ToString());
        Assert.Equal(audited, await AuditCountAsync());
    }

    [Fact]
    public async Task EveryErrorOfABodyIsNamedAtOnce()
    {
        var problem = await society.ProblemAsync(HttpMethod.Post, "/api/alerts",
            """{"kind": "heartbeat_failed", "count": 0, "percent": 5, "webhook_url": "ftp://x", "extra": true}""", HttpStatusCode.BadRequest);

        Assert.Equal(["count", "extra", "percent", "webhook_url", "window_minutes"],
            problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ABadOrUnknownAlertIdIsNamedOnEveryRoute()
    {
        const string Valid = """{"kind": "usage_capped"}""";
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/alerts/ada"), (HttpMethod.Put, "/api/alerts/ada"), (HttpMethod.Delete, "/api/alerts/ada"), (HttpMethod.Get, "/api/alerts/-1/deliveries") })
        {
            var problem = await society.ProblemAsync(method, path, method == HttpMethod.Put ? Valid : null, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("alert_id", out _), $"{method} {path}: {problem}");
        }

        await society.ProblemAsync(HttpMethod.Get, "/api/alerts/424242", null, HttpStatusCode.NotFound);
        await society.ProblemAsync(HttpMethod.Put, "/api/alerts/424242", Valid, HttpStatusCode.NotFound);
        await society.ProblemAsync(HttpMethod.Delete, "/api/alerts/424242", null, HttpStatusCode.NotFound);

        // A rule that does not exist has no deliveries; paging is checked as on every list.
        var none = await society.GetJsonAsync("/api/alerts/424242/deliveries");
        Assert.Equal(0, none.GetProperty("total").GetInt32());
        var paging = await society.ProblemAsync(HttpMethod.Get, "/api/alerts/1/deliveries?limit=0", null, HttpStatusCode.BadRequest);
        Assert.True(paging.GetProperty("errors").TryGetProperty("limit", out _));
    }

    private static void AssertRule(JsonElement rule, string kind, int? botId, int? count, int? window, string? webhook)
    {
        Assert.Equal(kind, rule.GetProperty("kind").GetString());
        Assert.Equal(botId, rule.GetProperty("bot_id").ValueKind == JsonValueKind.Null ? null : rule.GetProperty("bot_id").GetInt32());
        Assert.Equal(count, rule.GetProperty("count").ValueKind == JsonValueKind.Null ? null : rule.GetProperty("count").GetInt32());
        Assert.Equal(window, rule.GetProperty("window_minutes").ValueKind == JsonValueKind.Null ? null : rule.GetProperty("window_minutes").GetInt32());
        Assert.Equal(webhook, rule.GetProperty("webhook_url").GetString());
        Assert.True(rule.GetProperty("has_secret").GetBoolean());
        Assert.False(rule.TryGetProperty("secret", out _), rule.ToString());
        Assert.DoesNotContain(Secret, rule.ToString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> AuditRowAsync(string action, int id)
    {
        var rows = (await society.GetJsonAsync($"/api/activity?action={action}&limit=200")).GetProperty("items").EnumerateArray();
        var row = Assert.Single(rows, r => r.GetProperty("details").GetProperty("alert_id").GetInt32() == id);
        Assert.Equal("operator", row.GetProperty("actor").GetString());
        Assert.Equal(id, row.GetProperty("details").GetProperty("after").ValueKind == JsonValueKind.Null
            ? row.GetProperty("details").GetProperty("before").GetProperty("alert_id").GetInt32()
            : row.GetProperty("details").GetProperty("after").GetProperty("alert_id").GetInt32());
        return row;
    }

    private async Task<int> AuditCountAsync()
    {
        var total = 0;
        foreach (var action in new[] { "alert_rule_created", "alert_rule_updated", "alert_rule_deleted" })
        {
            total += (await society.GetJsonAsync($"/api/activity?action={action}&limit=1")).GetProperty("total").GetInt32();
        }

        return total;
    }
}
