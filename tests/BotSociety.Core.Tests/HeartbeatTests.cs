using BotSociety.Core.Data;
using BotSociety.Core.Realtime;
using BotSociety.Core.Simulation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotSociety.Core.Tests;

public sealed class HeartbeatTests
{
    [Fact]
    public async Task OfflineSocietyActsOnEveryKindOfAction()
    {
        await using var society = await TestSociety.StartAsync();
        for (var i = 0; i < 60; i++)
        {
            await society.TickAsync(TimeSpan.FromSeconds(30));
        }

        await using var db = society.Db();
        var actions = await db.ActivityLog.Select(a => a.Action).Distinct().ToListAsync();
        Assert.Superset(new HashSet<string> { "create_thread", "reply", "vote", "follow", "search", "rest" }, actions.ToHashSet());
        Assert.True(await db.Threads.CountAsync() >= 3);
        Assert.True(await db.Posts.AnyAsync(p => p.ParentPostId != null), "some replies are nested under other replies");
        Assert.Equal(0, await db.ActivityLog.CountAsync(a => a.Action == ActivityActions.HeartbeatFailed));
        Assert.All(await db.ActivityLog.Where(a => a.Action != "usage_capped").ToListAsync(), a =>
        {
            Assert.Equal("offline-simulator", a.Model);
            Assert.True(a.InputTokens > 100, "the prompt's tokens are counted");
            Assert.Contains("\"simulated\":true", a.Details, StringComparison.Ordinal);
            Assert.Contains("\"reputation_score\":", a.Details, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task PausedBotIsSkipped()
    {
        await using var society = await TestSociety.StartAsync();
        await using (var db = society.Db())
        {
            await db.Bots.Where(b => b.Name == "Ada").ExecuteUpdateAsync(s => s.SetProperty(b => b.IsPaused, true));
        }

        for (var i = 0; i < 5; i++)
        {
            await society.TickAsync();
        }

        var ada = await society.BotIdAsync("Ada");
        await using var check = society.Db();
        Assert.Equal(0, await check.ActivityLog.CountAsync(a => a.BotId == ada));
        Assert.True(await check.ActivityLog.CountAsync(a => a.BotId != ada) >= 5 * 7);
    }

    [Fact]
    public async Task InvalidModelOutputWritesNothingButAHeartbeatFailedRow()
    {
        await using var society = await TestSociety.StartAsync(TestSociety.WithModel(_ => "Sure! I think I'll reply to everyone today."));
        await society.OnlyDueAsync("Ada");
        await society.TickAsync(TimeSpan.Zero);

        await using var db = society.Db();
        var row = Assert.Single(await db.ActivityLog.ToListAsync());
        Assert.Equal(ActivityActions.HeartbeatFailed, row.Action);
        Assert.Contains("no JSON object", row.Details, StringComparison.Ordinal);
        Assert.Contains("\"stage\":\"parse\"", row.Details, StringComparison.Ordinal);
        Assert.Equal(0, await db.Threads.CountAsync() + await db.Posts.CountAsync() + await db.Votes.CountAsync() + await db.Follows.CountAsync());
        Assert.Equal(0, await db.WarmMemories.CountAsync());
        Assert.Equal(0, await db.RelationshipEvents.CountAsync());

        Assert.Contains("after one repair attempt", row.Details, StringComparison.Ordinal);

        // The tokens of the answer and of the one repair attempt were spent, so the day's usage counts both against the cap.
        var usage = Assert.Single(await db.DailyUsage.ToListAsync());
        Assert.Equal(2 * (CallbackChatClient.InputTokens + CallbackChatClient.OutputTokens), usage.TotalTokens);
    }

    [Fact]
    public async Task ModelErrorFailsOnlyThatBot()
    {
        await using var society = await TestSociety.StartAsync(TestSociety.WithModel(call =>
            call.BotName == "Bram" ? throw new HttpRequestException("connection refused") : """{"action":"rest","reason":"tired"}"""));
        await society.OnlyDueAsync("Ada", "Bram", "Cleo");
        var report = await society.TickAsync(TimeSpan.Zero);

        Assert.Equal(2, report.Acted);
        Assert.Equal(1, report.Failed);
        await using var db = society.Db();
        var failed = await db.ActivityLog.Include(a => a.Bot).SingleAsync(a => a.Action == ActivityActions.HeartbeatFailed);
        Assert.Equal("Bram", failed.Bot!.Name);
        Assert.Contains("connection refused", failed.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailureInjectedAfterTheActionLeavesNothingHalfWritten()
    {
        await using var society = await TestSociety.StartAsync(
            TestSociety.WithModel(_ => """{"action":"create_thread","topic":"tea","title":"Cold brew sencha","body":"It keeps its sweetness."}"""));
        await using (var setup = society.Db())
        {
            // A real database failure at the heartbeat's activity row, after its thread and before its memory,
            // usage and schedule: the disk is full as far as this transaction can tell.
            await setup.Database.ExecuteSqlRawAsync(TestDatabase.IsPostgres
                ? """
                  CREATE FUNCTION inject_failure() RETURNS trigger LANGUAGE plpgsql AS $$
                  BEGIN
                      IF NEW.action <> 'heartbeat_failed' THEN RAISE EXCEPTION 'Injected failure: the disk is full'; END IF;
                      RETURN NEW;
                  END $$;
                  CREATE TRIGGER inject_failure BEFORE INSERT ON activity_log FOR EACH ROW EXECUTE FUNCTION inject_failure();
                  """
                : """
                  CREATE TRIGGER inject_failure BEFORE INSERT ON activity_log WHEN NEW.action <> 'heartbeat_failed'
                  BEGIN SELECT RAISE(ABORT, 'Injected failure: the disk is full'); END;
                  """);
        }

        await society.OnlyDueAsync("Ada");
        await society.TickAsync(TimeSpan.Zero);

        await using var db = society.Db();
        Assert.Equal(0, await db.Threads.CountAsync());
        Assert.Equal(0, await db.WarmMemories.CountAsync());
        var row = Assert.Single(await db.ActivityLog.ToListAsync());
        Assert.Equal(ActivityActions.HeartbeatFailed, row.Action);
        Assert.Contains("\"stage\":\"apply\"", row.Details, StringComparison.Ordinal);
        Assert.Contains("Injected failure", row.Details, StringComparison.Ordinal);
        var ada = await db.Bots.SingleAsync(b => b.Name == "Ada");
        Assert.Equal(1, ada.HeartbeatCount);
        var usage = Assert.Single(await db.DailyUsage.ToListAsync());
        Assert.Equal(1, usage.Calls);
    }

    [Fact]
    public async Task SelfVoteAndDoubleVoteAreRefused()
    {
        var answers = new Queue<string>();
        await using var society = await TestSociety.StartAsync(TestSociety.WithModel(_ => answers.Dequeue()));
        answers.Enqueue("""{"action":"create_thread","topic":"chess","title":"The Sicilian again","body":"Why does everyone play it?"}""");
        await society.OnlyDueAsync("Ada");
        await society.TickAsync(TimeSpan.Zero);
        int threadId;
        await using (var db = society.Db())
        {
            threadId = await db.Threads.Select(t => t.Id).SingleAsync();
        }

        answers.Enqueue($$"""{"action":"vote","target_type":"thread","target_id":{{threadId}},"direction":"up"}""");
        await society.OnlyDueAsync("Ada");
        await society.TickAsync(TimeSpan.Zero);

        answers.Enqueue($$"""{"action":"vote","target_type":"thread","target_id":{{threadId}},"direction":"up"}""");
        await society.OnlyDueAsync("Bram");
        await society.TickAsync(TimeSpan.Zero);
        answers.Enqueue($$"""{"action":"vote","target_type":"thread","target_id":{{threadId}},"direction":"down"}""");
        await society.OnlyDueAsync("Bram");
        await society.TickAsync(TimeSpan.Zero);

        await using var check = society.Db();
        var failures = await check.ActivityLog.Where(a => a.Action == ActivityActions.HeartbeatFailed).OrderBy(a => a.Id).Select(a => a.Details).ToListAsync();
        Assert.Equal(2, failures.Count);
        Assert.Contains("may not vote on its own", failures[0], StringComparison.Ordinal);
        Assert.Contains("already voted", failures[1], StringComparison.Ordinal);
        var vote = Assert.Single(await check.Votes.ToListAsync());
        Assert.Equal(1, vote.Value);
        Assert.Equal(1, (await check.Threads.SingleAsync()).Score);
    }

    [Fact]
    public async Task ReplyToUnknownThreadIsRefused()
    {
        await using var society = await TestSociety.StartAsync(TestSociety.WithModel(_ => """{"action":"reply","thread_id":999,"body":"Hello?"}"""));
        await society.OnlyDueAsync("Cleo");
        await society.TickAsync(TimeSpan.Zero);

        await using var db = society.Db();
        var row = Assert.Single(await db.ActivityLog.ToListAsync());
        Assert.Contains("reply.thread_id 999 does not exist", row.Details, StringComparison.Ordinal);
        Assert.Equal(0, await db.Posts.CountAsync());
    }

    [Fact]
    public async Task CompletedHeartbeatPublishesTheSeedPayload()
    {
        var events = new RecordingPublisher();
        await using var society = await TestSociety.StartAsync(services => services.Replace(ServiceDescriptor.Singleton<IEventPublisher>(events)));
        await society.OnlyDueAsync("Fern");
        await society.TickAsync(TimeSpan.Zero);

        var published = Assert.Single(events.Events);
        Assert.Equal(SocietyEventTypes.HeartbeatComplete, published.Type);
        Assert.Equal("Fern", published.BotName);
        Assert.True(published.TokensUsed > 0);
        await using var db = society.Db();
        var row = await db.ActivityLog.SingleAsync();
        Assert.Equal(row.EventId, published.Id);
        Assert.Equal(row.Action, published.Action);
        Assert.Equal(row.TokensUsed, published.TokensUsed);
        Assert.NotNull(published.Details["reputation_score"]);
    }

    [Fact]
    public async Task FailingPublisherNeverFailsTheTick()
    {
        await using var society = await TestSociety.StartAsync(services =>
            services.Replace(ServiceDescriptor.Singleton<IEventPublisher>(new ThrowingPublisher())));
        var report = await society.TickAsync();

        Assert.True(report.Acted > 0);
        await using var db = society.Db();
        Assert.Equal(report.Acted, await db.ActivityLog.CountAsync(a => a.Action != ActivityActions.HeartbeatFailed));
    }

    [Fact]
    public async Task SocietySurvivesARestart()
    {
        var folder = Directory.CreateTempSubdirectory("botsociety-restart-").FullName;
        int activity, threads;
        await using (var first = await TestSociety.StartAsync(folder: folder))
        {
            for (var i = 0; i < 10; i++)
            {
                await first.TickAsync(TimeSpan.FromMinutes(1));
            }

            await using var db = first.Db();
            activity = await db.ActivityLog.CountAsync();
            threads = await db.Threads.CountAsync();
            if (!TestDatabase.IsPostgres)
            {
                Assert.Equal("wal", await JournalModeAsync(db));
            }
        }

        Assert.True(await TestDatabase.IsCreatedAsync(folder));
        await using var second = await TestSociety.StartAsync(folder: folder);
        await using var reopened = second.Db();
        Assert.Equal(activity, await reopened.ActivityLog.CountAsync());
        Assert.Equal(threads, await reopened.Threads.CountAsync());
        Assert.Equal(16, await reopened.Bots.CountAsync());
        Assert.Empty(await reopened.Database.GetPendingMigrationsAsync());
        Directory.Delete(folder, recursive: true);
        await TestDatabase.DropAsync(folder);
    }

    private static async Task<string> JournalModeAsync(BotSocietyDb db)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        return (string)(await command.ExecuteScalarAsync())!;
    }


    private sealed class ThrowingPublisher : IEventPublisher
    {
        public Task<int> PublishAsync(IReadOnlyList<SocietyEvent> events, CancellationToken cancellationToken) =>
            throw new HttpRequestException("relay is down");
    }
}
