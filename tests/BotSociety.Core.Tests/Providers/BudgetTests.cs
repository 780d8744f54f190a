using BotSociety.Core.Bots;
using BotSociety.Core.Simulation;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static BotSociety.Core.Tests.FakeHttpServer;

namespace BotSociety.Core.Tests.Providers;

/// <summary>
/// Budget-aware heartbeats with a paid model: near the cap a bot switches to its fallback model or rests more often;
/// at the cap it stops until the next UTC day; a call whose prompt alone would pass the cap is not made. The API and
/// the activity say why.
/// </summary>
public sealed class BudgetTests
{
    private static readonly ModelSection Sonnet = new("anthropic", "claude-sonnet-4-5", 0.5, 300);
    private static readonly Dictionary<string, string?> NoNearCapRule = new() { ["Usage:NearCapThreshold"] = "1" };

    [Fact]
    public async Task NearTheCapABotWithAFallbackModelSwitchesToIt()
    {
        using var server = Start((_, _) => Wire.Anthropic(Wire.RestAction, model: "claude-haiku-4-5-20251001"));
        await using var society = await ProviderSociety.StartAsync(server, new CapturedLogs());
        var id = await society.UseModelAsync("Ada", Sonnet with { FallbackModel = "claude-haiku-4-5" });
        await SpendAsync(society, id, tokens: 10_000, costUsd: 0.95);

        var before = await society.Services.GetRequiredService<BotQueries>().GetAsync(id, CancellationToken.None);
        Assert.Equal(BudgetNote.Fallback, before!.Budget.State);
        Assert.Equal("fallback model claude-haiku-4-5: 95 % of today's budget used", before.Budget.Reason);

        await society.TickNowAsync();

        Assert.Equal("claude-haiku-4-5", (string?)Assert.Single(server.Requests).Json["model"]);
        var row = Assert.Single(await society.ActivityAsync(id));
        Assert.Equal(ActivityActions.Rest, row.Action);
        Assert.Equal(BudgetNote.Fallback, (string?)row.Details()["budget"]!["state"]);

        // Priced as the model that answered: 1000 × $1 + 50 × $5 per million.
        Assert.Equal(((1000 * 1.0) + (50 * 5.0)) / 1_000_000, row.CostUsd, 9);
    }

    [Fact]
    public async Task NearTheCapABotWithoutAFallbackRestsMoreOftenAndSaysWhy()
    {
        using var server = Start((_, _) => Wire.Anthropic(Wire.RestAction));
        await using var society = await ProviderSociety.StartAsync(server, new CapturedLogs());
        string[] names = ["Ada", "Bram", "Cleo", "Dex", "Echo", "Fern"];
        var ids = new List<int>();
        foreach (var name in names)
        {
            ids.Add(await society.UseModelAsync(name, Sonnet));
            await SpendAsync(society, ids[^1], tokens: 10_000, costUsd: 0.95);
        }

        await society.OnlyDueAsync(names);
        await society.TickNowAsync();

        var rows = new List<Simulation.ActivityLogEntry>();
        foreach (var id in ids)
        {
            rows.Add(Assert.Single(await society.ActivityAsync(id)));
        }

        var resting = rows.Where(r => (string?)r.Details()["budget"]?["state"] == BudgetNote.Resting).ToList();
        Assert.NotEmpty(resting);
        Assert.Equal(names.Length - resting.Count, server.Requests.Count);
        foreach (var row in resting)
        {
            Assert.Equal(ActivityActions.Rest, row.Action);
            Assert.Equal("resting: 95 % of today's budget", (string?)row.Details()["reason"]);
            Assert.Equal(0, row.InputTokens + row.OutputTokens);
        }

        var bot = await society.Services.GetRequiredService<BotQueries>().GetAsync(ids[0], CancellationToken.None);
        Assert.Equal(BudgetNote.NearCap, bot!.Budget.State);
        Assert.Contains("95 % of today's budget used", bot.Budget.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AtTheCapABotStopsUntilTheNextUtcDayWithoutACall()
    {
        using var server = Start((_, _) => Wire.Anthropic(Wire.RestAction));
        await using var society = await ProviderSociety.StartAsync(server, new CapturedLogs());
        var id = await society.UseModelAsync("Ada", Sonnet);
        await SpendAsync(society, id, tokens: 10_000, costUsd: 1.00);

        await society.TickNowAsync();

        Assert.Empty(server.Requests);
        var row = Assert.Single(await society.ActivityAsync(id));
        Assert.Equal(ActivityActions.UsageCapped, row.Action);
        Assert.StartsWith("capped until 00:00 UTC", (string?)row.Details()["budget"]!["reason"], StringComparison.Ordinal);
        var bot = await society.Services.GetRequiredService<BotQueries>().GetAsync(id, CancellationToken.None);
        Assert.Equal("capped", bot!.Status);
        Assert.Equal(BudgetNote.Capped, bot.Budget.State);
        Assert.True(bot.NextHeartbeatAt >= TestSociety.Start.UtcDateTime.Date.AddDays(1));
    }

    [Fact]
    public async Task ACallWhosePromptWouldPassTheCapIsNotMade()
    {
        using var server = Start((_, _) => Wire.Anthropic(Wire.RestAction));
        // The near-cap rule is off here, so only the estimate decides.
        await using var society = await ProviderSociety.StartAsync(server, new CapturedLogs(), NoNearCapRule);
        var id = await society.UseModelAsync("Ada", Sonnet);
        await using (var db = society.Db())
        {
            await db.Bots.Where(b => b.Id == id).ExecuteUpdateAsync(s => s.SetProperty(b => b.DailyTokenCap, 20_000));
        }

        // 19,800 of 20,000 tokens: below the cap, but the prompt alone is bigger than what is left.
        await SpendAsync(society, id, tokens: 19_800, costUsd: 0.01);

        await society.TickNowAsync();

        Assert.Empty(server.Requests);
        var row = Assert.Single(await society.ActivityAsync(id));
        Assert.Equal(ActivityActions.UsageCapped, row.Action);
        Assert.Contains("Daily token cap would be passed", (string?)row.Details()["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallThatFitsMayPassTheCapByAtMostItsMaxTokens()
    {
        // The server bills the whole prompt the estimate counted plus a full answer of max_tokens.
        using var server = Start((request, _) => Wire.Anthropic(Wire.RestAction, input: 1500, output: 300));
        // The near-cap rule is off here, so only the estimate decides.
        await using var society = await ProviderSociety.StartAsync(server, new CapturedLogs(), NoNearCapRule);
        var id = await society.UseModelAsync("Ada", Sonnet);
        await using (var db = society.Db())
        {
            await db.Bots.Where(b => b.Id == id).ExecuteUpdateAsync(s => s.SetProperty(b => b.DailyTokenCap, 20_000));
        }

        await SpendAsync(society, id, tokens: 18_000, costUsd: 0.01);

        await society.TickNowAsync();

        Assert.Single(server.Requests);
        await using var read = society.Db();
        var usage = await read.DailyUsage.SingleAsync(u => u.BotId == id);
        Assert.True(usage.TotalTokens <= 20_000 + Sonnet.MaxTokens, $"{usage.TotalTokens} tokens passed the cap by more than max_tokens");
    }

    private static async Task SpendAsync(TestSociety society, int botId, long tokens, double costUsd)
    {
        await using var db = society.Db();
        db.DailyUsage.Add(new DailyUsage
        {
            BotId = botId,
            Day = DateOnly.FromDateTime(society.Clock.GetUtcNow().UtcDateTime),
            InputTokens = tokens,
            EstimatedCostUsd = costUsd,
            Calls = 1,
        });
        await db.SaveChangesAsync();
    }
}
