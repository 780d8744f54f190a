using BotSociety.Core.Simulation;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Tests;

public sealed class UsageCapTests
{
    private const long DefaultTokenCap = 100_000;

    [Fact]
    public async Task CapReachedBotSkipsHeartbeat()
    {
        var model = new ScriptedModel();
        await using var society = await TestSociety.StartAsync(model.Services);
        await SpendAsync(society, "Ada", society.Today(), DefaultTokenCap);
        await society.OnlyDueAsync("Ada");

        var report = await society.TickAsync(TimeSpan.Zero);

        Assert.DoesNotContain("Ada", model.Asked);
        Assert.Equal(1, report.Capped);
        Assert.Equal(0, report.Acted);
        var row = Assert.Single(await society.ActivityOfAsync("Ada"));
        Assert.Equal(ActivityActions.UsageCapped, row.Action);
        Assert.Equal(0, row.TokensUsed);
        var details = SocietyReads.DetailsOf(row);
        Assert.Equal(DefaultTokenCap, (long)details["token_cap"]!);
        Assert.Equal("default", (string)details["token_cap_source"]!);
        Assert.Equal(DefaultTokenCap, (long)details["tokens_today"]!);
        Assert.Contains("token cap", (string)details["reason"]!, StringComparison.Ordinal);
        Assert.Equal("2026-03-03T00:00:00.0000000Z", (string)details["resumes_at"]!);
        await using var db = society.Db();
        Assert.Equal(0, await db.Threads.CountAsync() + await db.Posts.CountAsync() + await db.Votes.CountAsync());
    }

    [Fact]
    public async Task CappedBotLogsUsageCappedOncePerDay()
    {
        var model = new ScriptedModel();
        await using var society = await TestSociety.StartAsync(model.Services);
        var capDay = society.Today();
        await SpendAsync(society, "Ada", capDay, DefaultTokenCap + 500);
        for (var i = 0; i < 4; i++)
        {
            await society.OnlyDueAsync("Ada");
            await society.TickAsync(TimeSpan.FromHours(2));
        }

        Assert.Equal(capDay, society.Today());
        Assert.Single(await society.ActivityOfAsync("Ada", ActivityActions.UsageCapped));
        Assert.Empty(model.Asked);

        // Past UTC midnight yesterday's usage no longer counts: the bot acts again, and is not reported capped.
        var now = society.Clock.GetUtcNow();
        society.Clock.Advance(now.Date.AddDays(1).AddMinutes(1) - now.UtcDateTime);
        await society.OnlyDueAsync("Ada");
        var report = await society.TickAsync(TimeSpan.Zero);

        Assert.Equal(1, report.Acted);
        Assert.Equal(["Ada"], model.Asked);
        var rows = await society.ActivityOfAsync("Ada");
        Assert.Equal([ActivityActions.UsageCapped, ActivityActions.Rest], rows.Select(r => r.Action));
        await using var db = society.Db();
        var today = await db.DailyUsage.SingleAsync(u => u.Bot!.Name == "Ada" && u.Day == capDay.AddDays(1));
        Assert.Equal(CallbackChatClient.InputTokens + CallbackChatClient.OutputTokens, today.TotalTokens);
    }

    [Fact]
    public async Task PerBotCapBeatsGlobalDefault()
    {
        var model = new ScriptedModel();
        await using var society = await TestSociety.StartAsync(model.Services);
        var today = society.Today();
        await using (var db = society.Db())
        {
            await db.Bots.Where(b => b.Name == "Ada").ExecuteUpdateAsync(s => s.SetProperty(b => b.DailyTokenCap, 50));
            await db.Bots.Where(b => b.Name == "Cleo").ExecuteUpdateAsync(s => s.SetProperty(b => b.DailyTokenCap, 500_000));
        }

        // A small own cap stops Ada where the default would not; a large one lets Cleo go on past the default.
        await SpendAsync(society, "Ada", today, 60);
        await SpendAsync(society, "Bram", today, 60);
        await SpendAsync(society, "Cleo", today, 150_000);
        await SpendAsync(society, "Dex", today, 150_000);
        await society.OnlyDueAsync("Ada", "Bram", "Cleo", "Dex");

        var report = await society.TickAsync(TimeSpan.Zero);

        Assert.Equal(["Bram", "Cleo"], model.Asked.Order(StringComparer.Ordinal));
        Assert.Equal(2, report.Acted);
        Assert.Equal(2, report.Capped);
        var ada = SocietyReads.DetailsOf(Assert.Single(await society.ActivityOfAsync("Ada")));
        Assert.Equal(50, (long)ada["token_cap"]!);
        Assert.Equal("custom", (string)ada["token_cap_source"]!);
        var dex = SocietyReads.DetailsOf(Assert.Single(await society.ActivityOfAsync("Dex")));
        Assert.Equal(DefaultTokenCap, (long)dex["token_cap"]!);
        Assert.Equal("default", (string)dex["token_cap_source"]!);
        Assert.Equal(ActivityActions.Rest, Assert.Single(await society.ActivityOfAsync("Bram")).Action);
        Assert.Equal(ActivityActions.Rest, Assert.Single(await society.ActivityOfAsync("Cleo")).Action);
    }

    [Fact]
    public async Task NullCapFallsBackToDefault()
    {
        var model = new ScriptedModel();
        await using var society = await TestSociety.StartAsync(model.Services, settings: new Dictionary<string, string?>
        {
            ["Usage:DefaultDailyTokenCap"] = "100000",
        });

        // Bram stays clear of the near-cap threshold and of the prompt estimate, so only the cap itself is tested here.
        await SpendAsync(society, "Ada", society.Today(), 100000);
        await SpendAsync(society, "Bram", society.Today(), 50000);
        await society.OnlyDueAsync("Ada", "Bram");

        await society.TickAsync(TimeSpan.Zero);

        Assert.Equal(["Bram"], model.Asked);
        var details = SocietyReads.DetailsOf(Assert.Single(await society.ActivityOfAsync("Ada", ActivityActions.UsageCapped)));
        Assert.Equal(100000, (long)details["token_cap"]!);
        Assert.Equal("default", (string)details["token_cap_source"]!);
        Assert.Empty(await society.ActivityOfAsync("Bram", ActivityActions.UsageCapped));
    }

    [Fact]
    public async Task CostCapAlsoCaps()
    {
        var model = new ScriptedModel();
        await using var society = await TestSociety.StartAsync(model.Services);
        await using (var db = society.Db())
        {
            await db.Bots.Where(b => b.Name == "Bram").ExecuteUpdateAsync(s => s.SetProperty(b => b.DailyCostCapUsd, 5.0));
        }

        await SpendAsync(society, "Ada", society.Today(), 40, costUsd: 1.00);
        await SpendAsync(society, "Bram", society.Today(), 40, costUsd: 1.00);
        await society.OnlyDueAsync("Ada", "Bram");

        await society.TickAsync(TimeSpan.Zero);

        Assert.Equal(["Bram"], model.Asked);
        var details = SocietyReads.DetailsOf(Assert.Single(await society.ActivityOfAsync("Ada")));
        Assert.Contains("cost cap", (string)details["reason"]!, StringComparison.Ordinal);
        Assert.Equal(1.00, (double)details["cost_cap_usd"]!);
        Assert.Equal("default", (string)details["cost_cap_source"]!);
        Assert.Equal(ActivityActions.Rest, Assert.Single(await society.ActivityOfAsync("Bram")).Action);
    }

    [Fact]
    public async Task HeartbeatAddsTheModelsTokensToTheDaysUsage()
    {
        var model = new ScriptedModel();
        await using var society = await TestSociety.StartAsync(model.Services);
        await society.OnlyDueAsync("Ada");
        await society.TickAsync(TimeSpan.Zero);

        await using (var db = society.Db())
        {
            var usage = Assert.Single(await db.DailyUsage.ToListAsync());
            Assert.Equal(await society.BotIdAsync("Ada"), usage.BotId);
            Assert.Equal(society.Today(), usage.Day);
            Assert.Equal(CallbackChatClient.InputTokens, usage.InputTokens);
            Assert.Equal(CallbackChatClient.OutputTokens, usage.OutputTokens);
            Assert.Equal(1, usage.Calls);
        }

        await society.OnlyDueAsync("Ada");
        await society.TickAsync(TimeSpan.FromMinutes(1));

        await using var check = society.Db();
        var total = Assert.Single(await check.DailyUsage.ToListAsync());
        Assert.Equal(2 * (CallbackChatClient.InputTokens + CallbackChatClient.OutputTokens), total.TotalTokens);
        Assert.Equal(2, total.Calls);
        Assert.All(await society.ActivityOfAsync("Ada"), a => Assert.Equal(CallbackChatClient.InputTokens + CallbackChatClient.OutputTokens, a.TokensUsed));
    }

    private static async Task SpendAsync(TestSociety society, string bot, DateOnly day, long tokens, double costUsd = 0)
    {
        var id = await society.BotIdAsync(bot);
        await using var db = society.Db();
        db.DailyUsage.Add(new DailyUsage
        {
            BotId = id, Day = day, InputTokens = tokens - (tokens / 5), OutputTokens = tokens / 5, EstimatedCostUsd = costUsd, Calls = 3,
        });
        await db.SaveChangesAsync();
    }
}
