using System.Text.Json;
using BotSociety.Core.Bots;
using BotSociety.Core.Simulation;
using BotSociety.Core.Traces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BotSociety.Core.Tests;

/// <summary>Every model call leaves a trace; failed heartbeats in a row make a bot failing; old and excess traces are pruned.</summary>
public sealed class TraceAndHealthTests
{
    private const string Unusable = "Sure! I think I'll reply to everyone today.";

    [Fact]
    public async Task AFailedHeartbeatIsTracedWithItsRepairAttemptAndThreeInARowMakeTheBotFailing()
    {
        var answers = new Queue<string>([Unusable, Unusable, Unusable, Unusable, Unusable, Unusable, ScriptedModel.Rest]);
        await using var society = await TestSociety.StartAsync(TestSociety.WithModel(_ => answers.Dequeue()));
        var queries = society.Services.GetRequiredService<BotQueries>();
        var traces = society.Services.GetRequiredService<TraceQueries>();
        var ada = await society.BotIdAsync("Ada");
        var firstFailure = society.Clock.GetUtcNow().UtcDateTime;

        for (var i = 0; i < 2; i++)
        {
            await society.OnlyDueAsync("Ada");
            await society.TickAsync(TimeSpan.Zero);
        }

        var two = (await queries.GetAsync(ada, CancellationToken.None))!;
        Assert.Equal(BotHealth.Healthy, two.Health);
        Assert.Equal(2, two.FailedHeartbeats);

        society.Clock.Advance(TimeSpan.FromMinutes(1));
        await society.OnlyDueAsync("Ada");
        await society.TickAsync(TimeSpan.Zero);
        var failing = (await queries.GetAsync(ada, CancellationToken.None))!;
        Assert.Equal(BotHealth.Failing, failing.Health);
        Assert.Equal("malformed", failing.FailureKind);
        Assert.Equal(firstFailure, failing.FailingSince);
        Assert.Equal("active", failing.Status);

        var row = (await society.ActivityOfAsync("Ada", ActivityActions.HeartbeatFailed))[0];
        var trace = (await traces.ForActivityAsync(row.Id, CancellationToken.None))!;
        Assert.Equal(TraceKinds.Heartbeat, trace.Kind);
        Assert.Equal(1, trace.Retries);
        Assert.Equal(["system", "user", "assistant", "user"], trace.Messages.Select(m => m.Role));
        Assert.Equal(Unusable, trace.Messages[2].Text);
        Assert.Contains("could not be used", trace.Messages[3].Text, StringComparison.Ordinal);
        Assert.Equal(Unusable, trace.Completion);
        Assert.Equal("malformed", trace.FailureKind);
        Assert.Equal(row.InputTokens, trace.InputTokens);
        Assert.Equal(row.OutputTokens, trace.OutputTokens);

        // One heartbeat that did not fail ends the run.
        await society.OnlyDueAsync("Ada");
        await society.TickAsync(TimeSpan.Zero);
        var healthy = (await queries.GetAsync(ada, CancellationToken.None))!;
        Assert.Equal(BotHealth.Healthy, healthy.Health);
        Assert.Equal(0, healthy.FailedHeartbeats);
        Assert.Null(healthy.FailingSince);

        await using var db = society.Db();
        var usage = await db.ModelUsage.SingleAsync();
        Assert.Equal((4L, 3L), (usage.Calls, usage.Failures));
    }

    [Fact]
    public async Task TracesPastTheirRetentionOrTheSizeBoundArePrunedOldestFirst()
    {
        await using var society = await TestSociety.StartAsync(settings: new Dictionary<string, string?> { ["Traces:RetentionDays"] = "2", ["Traces:MaxMegabytes"] = "1" });
        var traces = society.Services.GetRequiredService<TraceQueries>();
        var now = society.Clock.GetUtcNow().UtcDateTime;
        await using (var db = society.Db())
        {
            // Three days old, then ten of 200 KB each from the last day: the old one goes by age, the oldest five by size.
            db.ModelTraces.Add(Trace(now.AddDays(-3), 100));
            for (var i = 0; i < 10; i++)
            {
                db.ModelTraces.Add(Trace(now.AddHours(-10 + i), 200 * 1024));
            }

            await db.SaveChangesAsync();
        }

        Assert.Equal(6, await traces.PruneAsync(CancellationToken.None));
        await using (var db = society.Db())
        {
            var kept = await db.ModelTraces.OrderBy(t => t.CreatedAt).Select(t => t.CreatedAt).ToListAsync();
            Assert.Equal([.. Enumerable.Range(5, 5).Select(i => now.AddHours(-10 + i))], kept);
        }

        Assert.Equal(0, await traces.PruneAsync(CancellationToken.None));
    }

    [Fact]
    public async Task NoTraceEverHoldsAConfiguredKey()
    {
        const string key = "sk-test-0123456789abcdef";
        await using var society = await TestSociety.StartAsync(
            TestSociety.WithModel(_ => $$"""{"action":"rest","reason":"my key is {{key}}"}"""),
            new Dictionary<string, string?> { ["Models:OpenAI:ApiKey"] = key });
        await society.OnlyDueAsync("Ada");
        await society.TickAsync(TimeSpan.Zero);

        await using var db = society.Db();
        var trace = await db.ModelTraces.SingleAsync();
        Assert.DoesNotContain(key, trace.Messages + trace.Completion, StringComparison.Ordinal);
        Assert.Contains("[redacted]", trace.Completion, StringComparison.Ordinal);
        using var messages = JsonDocument.Parse(trace.Messages);
        Assert.Equal(2, messages.RootElement.GetArrayLength());
    }

    private static ModelTrace Trace(DateTime at, int size) => new()
    {
        Kind = TraceKinds.Heartbeat, Provider = "offline", Model = "offline-simulator", Messages = "[]", SizeBytes = size, CreatedAt = at,
    };
}
