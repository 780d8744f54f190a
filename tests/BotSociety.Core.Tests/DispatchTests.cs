using BotSociety.Core.Simulation;
using BotSociety.Core.Tests.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BotSociety.Core.Tests;

/// <summary>
/// Queue dispatch as the Heartbeat timer and the RunHeartbeats function use it: claims in batches, each batch run where
/// it is dequeued, and the claim, not the message, deciding who acts.
/// </summary>
public sealed class DispatchTests
{
    private static readonly Dictionary<string, string?> Queue = new()
    {
        ["Society:Dispatch"] = "queue",
        ["Society:QueueBatchSize"] = "3",
        ["Society:ModelTimeoutSeconds"] = "10",
        ["Society:ClaimSeconds"] = "30",
        ["WEBSITE_INSTANCE_ID"] = "instance-a",
    };

    [Fact]
    public async Task DueBotsAreClaimedInBatchesAndEachActsOnceWhereverItsBatchRuns()
    {
        await using var society = await TestSociety.StartAsync(settings: Queue);
        society.Clock.Advance(TimeSpan.FromMinutes(10));

        var batches = await society.Engine.DispatchAsync(CancellationToken.None);

        // Sixteen due bots (the shipped personas) in batches of three, each batch under a claim of its own; nothing is run yet.
        Assert.Equal([3, 3, 3, 3, 3, 1], batches.Select(b => b.Bots.Count));
        Assert.Equal(16, batches.SelectMany(b => b.Bots).Distinct().Count());
        Assert.Equal(6, batches.Select(b => b.Claim).Distinct().Count());
        Assert.All(batches, b => Assert.StartsWith("instance-a/", b.Claim, StringComparison.Ordinal));
        await using (var db = society.Db())
        {
            Assert.Equal(0, await db.ActivityLog.CountAsync());
            Assert.Equal(16, await db.Bots.CountAsync(b => b.ClaimedBy != null));
        }

        // A second tick finds every due bot claimed already.
        Assert.Empty(await society.Engine.DispatchAsync(CancellationToken.None));

        var acted = 0;
        foreach (var batch in batches)
        {
            // Through the queue's text, as the function receives it.
            var report = await society.Engine.RunBatchAsync(HeartbeatBatch.Parse(batch.ToMessage()), CancellationToken.None);
            acted += report.Acted + report.Failed;
        }

        Assert.Equal(16, acted);

        // The queue delivers a message twice (a worker died before deleting it): the claims are spent, nothing acts again.
        var again = await society.Engine.RunBatchAsync(batches[0], CancellationToken.None);
        Assert.Equal(0, again.Due);

        await using var check = society.Db();
        var rows = await check.ActivityLog.AsNoTracking().ToListAsync();
        Assert.Equal(16, rows.Count);
        Assert.Equal(16, rows.Select(r => r.BotId).Distinct().Count());
        Assert.All(rows, r => Assert.Equal("instance-a", (string?)SocietyReads.DetailsOf(r)["instance"]));
        Assert.Equal(0, await check.Bots.CountAsync(b => b.ClaimedBy != null));
    }

    [Fact]
    public async Task ALapsedClaimPassesToTheNextTickAndTheLateBatchSkipsItsBots()
    {
        var logs = new CapturedLogs();
        await using var society = await TestSociety.StartAsync(logs.Install, settings: Queue);
        await society.OnlyDueAsync("Ada");
        var first = Assert.Single(await society.Engine.DispatchAsync(CancellationToken.None));

        // The instance that took the first batch died with it; its claim lapses and the next tick claims Ada again.
        society.Clock.Advance(TimeSpan.FromSeconds(31));
        var second = Assert.Single(await society.Engine.DispatchAsync(CancellationToken.None));
        Assert.Equal(first.Bots, second.Bots);
        Assert.NotEqual(first.Claim, second.Claim);

        var late = await society.Engine.RunBatchAsync(first, CancellationToken.None);
        var current = await society.Engine.RunBatchAsync(second, CancellationToken.None);

        Assert.Equal(0, late.Due);
        Assert.Equal(1, current.Acted + current.Failed);
        var row = Assert.Single(await society.ActivityOfAsync("Ada"));
        Assert.Equal(TestSociety.Start.UtcDateTime, DateTime.Parse((string)SocietyReads.DetailsOf(row)["due_at"]!, null, System.Globalization.DateTimeStyles.RoundtripKind));
        Assert.Contains(logs.Lines, l => l.Contains("no longer claimed by it", StringComparison.Ordinal) && l.Contains(first.Claim, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AClaimLostWhileTheModelThoughtIsNotApplied()
    {
        HeartbeatBatch? next = null;
        TestSociety? running = null;

        // While Ada's model answers, her claim lapses and another instance's tick claims her: the answer is thrown away.
        await using var society = await TestSociety.StartAsync(
            TestSociety.WithModel(_ =>
            {
                running!.Clock.Advance(TimeSpan.FromSeconds(31));
                next = Assert.Single(running.Engine.DispatchAsync(CancellationToken.None).GetAwaiter().GetResult());
                return """{"action":"create_thread","topic":"tea","title":"Second steeping","body":"Better than the first."}""";
            }),
            settings: Queue);
        running = society;
        await society.OnlyDueAsync("Ada");
        var batch = Assert.Single(await society.Engine.DispatchAsync(CancellationToken.None));

        var report = await society.Engine.RunBatchAsync(batch, CancellationToken.None);

        Assert.Equal(0, report.Acted);
        Assert.Empty(await society.ActivityOfAsync("Ada"));
        await using var db = society.Db();
        Assert.Equal(0, await db.Threads.CountAsync());
        var ada = await db.Bots.AsNoTracking().SingleAsync(b => b.Name == "Ada");
        Assert.Equal(next!.Claim, ada.ClaimedBy);
    }

    [Fact]
    public async Task ABatchNamingABotThatNoLongerExistsRunsTheOthersAndLogsIt()
    {
        var logs = new CapturedLogs();
        await using var society = await TestSociety.StartAsync(logs.Install, settings: Queue);
        await society.OnlyDueAsync("Ada");
        var batch = Assert.Single(await society.Engine.DispatchAsync(CancellationToken.None));

        var report = await society.Engine.RunBatchAsync(batch with { Bots = [.. batch.Bots, 99_999] }, CancellationToken.None);

        Assert.Equal(1, report.Acted + report.Failed);
        Assert.Contains(logs.Lines, l => l.Contains("Bot 99999 of batch", StringComparison.Ordinal) && l.Contains("no longer exists", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABatchQueuedBeforeThePausedPaceLeavesItsBotsDue()
    {
        await using var society = await TestSociety.StartAsync(settings: Queue);
        await society.OnlyDueAsync("Ada");
        var batch = Assert.Single(await society.Engine.DispatchAsync(CancellationToken.None));
        await using (var pause = new MemoryStream("""{"pace":"paused"}"""u8.ToArray()))
        {
            Assert.True((await society.Services.GetRequiredService<PaceService>().SetAsync(pause, CancellationToken.None)).Value is not null);
        }

        var report = await society.Engine.RunBatchAsync(batch, CancellationToken.None);

        Assert.Equal(0, report.Due);
        Assert.Empty(await society.ActivityOfAsync("Ada"));
        await using var db = society.Db();
        var ada = await db.Bots.AsNoTracking().SingleAsync(b => b.Name == "Ada");
        Assert.Null(ada.ClaimedBy);
        Assert.True(ada.NextHeartbeatAt <= society.Clock.GetUtcNow().UtcDateTime, "still due, to act when the society resumes");
    }

    [Fact]
    public async Task InlineTicksClaimAndReleaseToo()
    {
        await using var society = await TestSociety.StartAsync(settings: new Dictionary<string, string?> { ["WEBSITE_INSTANCE_ID"] = "solo" });
        var report = await society.TickAsync();

        Assert.Equal(16, report.Acted + report.Failed);
        await using var db = society.Db();
        Assert.Equal(0, await db.Bots.CountAsync(b => b.ClaimedBy != null));
        var rows = await db.ActivityLog.AsNoTracking().ToListAsync();
        Assert.All(rows, r => Assert.Equal("solo", (string?)SocietyReads.DetailsOf(r)["instance"]));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("not json", "not valid batch JSON")]
    [InlineData("[1, 2]", "not valid batch JSON")]
    [InlineData("null", "JSON null")]
    [InlineData("""{"bots":[1]}""", "no 'claim'")]
    [InlineData("""{"claim":"x","bots":[]}""", "names no 'bots'")]
    [InlineData("""{"claim":"x","bots":["one"]}""", "not valid batch JSON")]
    public void AMessageThatIsNotABatchIsRefusedWithItsReason(string message, string reason)
    {
        var error = Assert.Throws<FormatException>(() => HeartbeatBatch.Parse(message));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
