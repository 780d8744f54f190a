using System.Text;
using BotSociety.Core.Bots;
using BotSociety.Core.Realtime;
using BotSociety.Core.Simulation;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotSociety.Core.Tests;

public sealed class ControlTests
{
    [Fact]
    public async Task ThePacesUpdatedAtMovesWhenThePaceChangesNotOnEveryTick()
    {
        await using var society = await StartAsync(new RecordingPublisher());
        var pace = society.Services.GetRequiredService<PaceService>();
        var started = (await pace.GetAsync(CancellationToken.None)).UpdatedAt;

        for (var i = 0; i < 3; i++)
        {
            await society.TickAsync();
        }

        Assert.Equal(started, (await pace.GetAsync(CancellationToken.None)).UpdatedAt);
        await pace.SetAsync(Body("""{"pace": "slow"}"""), CancellationToken.None);
        var changed = (await pace.GetAsync(CancellationToken.None)).UpdatedAt;
        Assert.Equal(society.Clock.GetUtcNow().UtcDateTime, changed);
        await society.TickAsync();
        Assert.Equal(changed, (await pace.GetAsync(CancellationToken.None)).UpdatedAt);
    }

    [Fact]
    public async Task PauseAndResumePublishOneEventEachWithTheSeedPayload()
    {
        var events = new RecordingPublisher();
        await using var society = await StartAsync(events);
        var control = society.Services.GetRequiredService<BotControl>();
        var ada = await society.BotIdAsync("Ada");

        var paused = await control.PauseAsync(ada, CancellationToken.None);
        var pausedAgain = await control.PauseAsync(ada, CancellationToken.None);
        society.Clock.Advance(TimeSpan.FromMinutes(3));
        var resumed = await control.ResumeAsync(ada, CancellationToken.None);

        Assert.Equal("paused", paused!.Status);
        Assert.Equal("paused", pausedAgain!.Status);
        Assert.Equal("active", resumed!.Status);
        Assert.Equal(society.Clock.GetUtcNow().UtcDateTime, resumed.NextHeartbeatAt);
        Assert.Equal([SocietyEventTypes.BotPaused, SocietyEventTypes.BotResumed], events.Events.Select(e => e.Type));
        var pause = events.Events[0];
        Assert.Equal(ada, pause.BotId);
        Assert.Equal("Ada", pause.BotName);
        Assert.Equal("pause", pause.Action);
        Assert.Equal(0, pause.TokensUsed);
        Assert.Equal(TestSociety.Start, pause.Timestamp);
        Assert.Equal(7, Guid.Parse(pause.Id).Version);
        Assert.Equal("resume", events.Events[1].Action);
        Assert.NotEqual(pause.Id, events.Events[1].Id);
        Assert.Null(await control.PauseAsync(999, CancellationToken.None));
    }

    [Fact]
    public async Task PaceChangePublishesFromAndToAndAnInvalidPaceChangesNothing()
    {
        var events = new RecordingPublisher();
        await using var society = await StartAsync(events);
        var pace = society.Services.GetRequiredService<PaceService>();

        var bad = await pace.SetAsync(Body("""{"pace": "Warp"}"""), CancellationToken.None);
        var set = await pace.SetAsync(Body("""{"pace": "slow"}"""), CancellationToken.None);
        var same = await pace.SetAsync(Body("""{"pace": "slow"}"""), CancellationToken.None);

        Assert.Equal("pace", Assert.Single(bad.Errors).Field);
        Assert.Equal(Pace.Slow, set.Value!.Pace);
        Assert.Equal(300, set.Value.IntervalSeconds);
        Assert.Equal(Pace.Slow, same.Value!.Pace);
        Assert.Equal(Pace.Slow, (await pace.GetAsync(CancellationToken.None)).Pace);
        var changed = Assert.Single(events.Events);
        Assert.Equal(SocietyEventTypes.PaceChanged, changed.Type);
        Assert.Null(changed.BotId);
        Assert.Equal("normal", (string)changed.Details["from"]!);
        Assert.Equal("slow", (string)changed.Details["to"]!);
    }

    [Fact]
    public async Task CostCapPublishesConfigUpdatedWithBeforeAndAfter()
    {
        var events = new RecordingPublisher();
        await using var society = await StartAsync(events);
        var caps = society.Services.GetRequiredService<CostCapService>();
        var bram = await society.BotIdAsync("Bram");

        var invalid = await caps.SetAsync(bram, Body("""{"daily_token_cap": -1, "daily_cost_cap_usd": "1", "extra": 1}"""), CancellationToken.None);
        var set = await caps.SetAsync(bram, Body("""{"daily_token_cap": 2000, "daily_cost_cap_usd": null}"""), CancellationToken.None);

        Assert.Equal(["daily_cost_cap_usd", "daily_token_cap", "extra"], invalid.Errors.Select(e => e.Field).Order());
        Assert.Equal(new CapSetting<long>(2000, "custom"), set.Value!.DailyTokenCap);
        Assert.Equal(new CapSetting<double>(1.0, "default"), set.Value.DailyCostCapUsd);
        var updated = Assert.Single(events.Events);
        Assert.Equal(SocietyEventTypes.ConfigUpdated, updated.Type);
        Assert.Equal("Bram", updated.BotName);
        Assert.Equal("""["daily_token_cap"]""", updated.Details["fields"]!.ToJsonString());
        Assert.Equal(100_000, (long)updated.Details["before"]!["daily_token_cap"]!["value"]!);
        Assert.Equal("default", (string)updated.Details["before"]!["daily_token_cap"]!["source"]!);
        Assert.Equal(2000, (long)updated.Details["after"]!["daily_token_cap"]!["value"]!);
        Assert.Equal("custom", (string)updated.Details["after"]!["daily_token_cap"]!["source"]!);
        await using var db = society.Db();
        var stored = await db.Bots.SingleAsync(b => b.Id == bram);
        Assert.Equal(2000, stored.DailyTokenCap);
        Assert.Null(stored.DailyCostCapUsd);
    }

    [Fact]
    public async Task RaisingTheCapOfACappedBotMakesItDueNow()
    {
        await using var society = await StartAsync(new RecordingPublisher());
        var caps = society.Services.GetRequiredService<CostCapService>();
        var ada = await society.BotIdAsync("Ada");
        await using (var db = society.Db())
        {
            db.DailyUsage.Add(new DailyUsage { BotId = ada, Day = society.Today(), InputTokens = 80_000, OutputTokens = 20_000, Calls = 3 });
            await db.SaveChangesAsync();
        }

        await society.OnlyDueAsync("Ada");
        Assert.Equal(1, (await society.TickAsync(TimeSpan.Zero)).Capped);
        var midnight = society.Today().AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        Assert.True(await NextHeartbeatAsync(society, ada) >= midnight, "a capped bot sleeps until midnight");

        // A cap that still holds leaves it asleep; one that no longer holds wakes it now.
        await caps.SetAsync(ada, Body("""{"daily_token_cap": 90000, "daily_cost_cap_usd": null}"""), CancellationToken.None);
        Assert.True(await NextHeartbeatAsync(society, ada) >= midnight);
        society.Clock.Advance(TimeSpan.FromMinutes(5));
        await caps.SetAsync(ada, Body("""{"daily_token_cap": 200000, "daily_cost_cap_usd": null}"""), CancellationToken.None);
        Assert.Equal(society.Clock.GetUtcNow().UtcDateTime, await NextHeartbeatAsync(society, ada));

        var report = await society.TickAsync(TimeSpan.Zero);
        Assert.Equal(1, report.Acted);
        Assert.Equal(0, report.Capped);
    }

    private static Task<TestSociety> StartAsync(RecordingPublisher events) =>
        TestSociety.StartAsync(services => services.Replace(ServiceDescriptor.Singleton<IEventPublisher>(events)));

    private static MemoryStream Body(string json) => new(Encoding.UTF8.GetBytes(json));

    private static async Task<DateTime> NextHeartbeatAsync(TestSociety society, int botId)
    {
        await using var db = society.Db();
        return await db.Bots.Where(b => b.Id == botId).Select(b => b.NextHeartbeatAt).SingleAsync();
    }
}
