using BotSociety.Core.Simulation;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Tests;

public sealed class CapWakeTests
{
    [Fact]
    public async Task RaisingTheDefaultCapInSettingsWakesACappedBotAtTheNextStart()
    {
        var folder = Directory.CreateTempSubdirectory("botsociety-wake-").FullName;
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestSociety.Start);
        var small = new Dictionary<string, string?> { ["Usage:DefaultDailyTokenCap"] = "1000" };
        await using (var first = await TestSociety.StartAsync(settings: small, folder: folder, clock: clock))
        {
            await first.OnlyDueAsync("Ada");
            await using (var db = first.Db())
            {
                var ada = await db.Bots.SingleAsync(b => b.Name == "Ada");
                db.DailyUsage.Add(new DailyUsage { BotId = ada.Id, Day = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), InputTokens = 2000 });
                await db.SaveChangesAsync();
            }

            await first.TickAsync(TimeSpan.Zero);
            await using var check = first.Db();
            var sleeping = await check.Bots.SingleAsync(b => b.Name == "Ada");
            Assert.True(sleeping.NextHeartbeatAt >= TestSociety.Start.UtcDateTime.Date.AddDays(1), "a capped bot sleeps until midnight UTC");
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        var raised = new Dictionary<string, string?> { ["Usage:DefaultDailyTokenCap"] = "100000" };
        await using var second = await TestSociety.StartAsync(settings: raised, folder: folder, clock: clock);
        await using (var db = second.Db())
        {
            var ada = await db.Bots.SingleAsync(b => b.Name == "Ada");
            Assert.Equal(clock.GetUtcNow().UtcDateTime, ada.NextHeartbeatAt);
        }

        await second.OnlyDueAsync("Ada");
        await second.TickAsync(TimeSpan.Zero);
        await using var after = second.Db();
        Assert.Contains(await after.ActivityLog.Include(a => a.Bot).Where(a => a.Bot!.Name == "Ada").Select(a => a.Action).ToListAsync(),
            action => action != ActivityActions.UsageCapped);
        Directory.Delete(folder, recursive: true);
    }
}
