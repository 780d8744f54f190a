using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BotSociety.Core.Alerts;
using BotSociety.Core.Realtime;
using BotSociety.Core.Reputation;
using BotSociety.Core.Simulation;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BotSociety.Core.Tests;

/// <summary>
/// Each kind of alert rule fires once per episode, in words, as an <c>alert_fired</c> row written by the society, and
/// re-arms when its condition clears, so the next episode fires again. The conditions are set up in the database and
/// the evaluator run as the tick runs it; one test goes through real ticks, which call it themselves.
/// </summary>
public sealed class AlertEvaluatorTests
{
    [Fact]
    public async Task FailedHeartbeatsFireOncePerEpisodeAndReArmWhenTheWindowPasses()
    {
        var failing = true;
        await using var society = await TestSociety.StartAsync(TestSociety.WithModel(call =>
            failing && call.BotName == "Ada" ? "Sure! I think I'll reply to everyone today." : ScriptedModel.Rest));
        var rule = await AddRuleAsync(society, new AlertRule { Kind = AlertKinds.HeartbeatFailed, Count = 2, WindowMinutes = 10 });
        var ada = await society.BotIdAsync("Ada");

        await FailAsync(society);
        Assert.Empty(await FiredAsync(society));

        await FailAsync(society);
        var fired = Assert.Single(await FiredAsync(society));
        Assert.Equal(ada, fired.BotId);
        Assert.Equal(ControlEvents.Society, fired.Actor);
        var details = SocietyReads.DetailsOf(fired);
        Assert.Equal(rule, (int)details["alert_id"]!);
        Assert.Equal(AlertKinds.HeartbeatFailed, (string)details["kind"]!);
        Assert.Equal(ada, (int)details["bot_id"]!);
        Assert.Equal("Ada", (string)details["bot_name"]!);
        Assert.Equal(society.Clock.GetUtcNow().UtcDateTime, (DateTime)details["fired_at"]!);
        Assert.StartsWith("Ada: 2 heartbeats failed in the last 10 minutes (", (string)details["message"]!, StringComparison.Ordinal);
        var episode = await EpisodeAsync(society, rule, ada);
        Assert.True(episode.Firing);
        Assert.Equal(fired.Id, episode.ActivityId);
        Assert.Equal((string)details["message"]!, episode.Message);

        // More failures within the same episode fire nothing more.
        await FailAsync(society);
        Assert.Single(await FiredAsync(society));

        // Ada recovers and the window passes: the episode clears on the next tick.
        failing = false;
        await society.OnlyDueAsync("Ada");
        await society.TickAsync(TimeSpan.FromMinutes(11));
        episode = await EpisodeAsync(society, rule, ada);
        Assert.False(episode.Firing);
        Assert.Equal(society.Clock.GetUtcNow().UtcDateTime, episode.ClearedAt);

        failing = true;
        await FailAsync(society);
        await FailAsync(society);
        Assert.Equal(2, (await FiredAsync(society)).Count);
        await using var db = society.Db();
        Assert.Empty(await db.AlertDeliveries.ToListAsync());
    }

    [Fact]
    public async Task ReachingACapAndPassingAShareOfItFireAndMidnightReArmsThem()
    {
        await using var society = await TestSociety.StartAsync(new ScriptedModel().Services);
        var (ada, bram) = (await society.BotIdAsync("Ada"), await society.BotIdAsync("Bram"));
        var capped = await AddRuleAsync(society, new AlertRule { Kind = AlertKinds.UsageCapped, BotId = ada });
        var spend = await AddRuleAsync(society, new AlertRule { Kind = AlertKinds.Spend, Percent = 50 });
        await using (var db = society.Db())
        {
            await db.Bots.Where(b => b.Id == bram).ExecuteUpdateAsync(s => s.SetProperty(b => b.DailyCostCapUsd, 0.10));
        }

        await SpendAsync(society, ada, 60_000, 0.01);
        await SpendAsync(society, bram, 100, 0.08);
        await EvaluateAsync(society);

        Assert.Equal(
            [(spend, ada, "Ada: 60% of the daily token cap spent (60000/100000 tokens)"), (spend, bram, "Bram: 80% of the daily cost cap spent ($0.08/$0.10)")],
            (await FiredAsync(society)).Select(Summary).Order());

        await SpendAsync(society, ada, 100_000, 0.01);
        await EvaluateAsync(society);
        var fired = await FiredAsync(society);
        Assert.Equal(3, fired.Count);
        Assert.Equal((capped, ada, "Ada is capped for today: Daily token cap reached: 100,000 of 100,000 tokens"), Summary(fired[^1]));

        // Yesterday's spend no longer counts: every episode clears.
        var now = society.Clock.GetUtcNow();
        society.Clock.Advance(now.Date.AddDays(1).AddMinutes(1) - now.UtcDateTime);
        await EvaluateAsync(society);
        await using var check = society.Db();
        Assert.Equal(3, await check.AlertEpisodes.CountAsync(e => !e.Firing && e.ClearedAt == society.Clock.GetUtcNow().UtcDateTime));
        Assert.Equal(3, (await FiredAsync(society)).Count);
    }

    [Fact]
    public async Task AReputationDropFromTheHighestScoreInTheWindowFiresAndARecoveryReArmsIt()
    {
        await using var society = await TestSociety.StartAsync(new ScriptedModel().Services);
        var (ada, bram) = (await society.BotIdAsync("Ada"), await society.BotIdAsync("Bram"));
        var now = society.Clock.GetUtcNow().UtcDateTime;
        var adaRule = await AddRuleAsync(society, new AlertRule { Kind = AlertKinds.ReputationDrop, BotId = ada, Points = 5, WindowMinutes = 60 });
        var bramRule = await AddRuleAsync(society, new AlertRule { Kind = AlertKinds.ReputationDrop, BotId = bram, Points = 5, WindowMinutes = 60 });
        await ScoreAsync(society, ada, 20, (now.AddMinutes(-90), 12), (now.AddMinutes(-30), 20));

        // Bram has not acted for hours: the score he had just before the window is the one he fell from.
        await ScoreAsync(society, bram, 24, (now.AddHours(-3), 30));
        await EvaluateAsync(society);
        Assert.Equal([(bramRule, bram, "Bram: reputation fell 6 points in the last 60 minutes (from 30 to 24)")], (await FiredAsync(society)).Select(Summary));

        await ScoreAsync(society, ada, 14.5);
        await EvaluateAsync(society);
        Assert.Equal((adaRule, ada, "Ada: reputation fell 5.5 points in the last 60 minutes (from 20 to 14.5)"), Summary((await FiredAsync(society))[^1]));

        await ScoreAsync(society, ada, 18);
        await EvaluateAsync(society);
        Assert.False((await EpisodeAsync(society, adaRule, ada)).Firing);
        Assert.True((await EpisodeAsync(society, bramRule, bram)).Firing);
        Assert.Equal(2, (await FiredAsync(society)).Count);
    }

    [Fact]
    public async Task LostEventsFireOnlyForNewLossesAndClearWhenNoneFollow()
    {
        await using var society = await TestSociety.StartAsync(new ScriptedModel().Services);
        var rule = await AddRuleAsync(society, new AlertRule { Kind = AlertKinds.EventsLost });
        await LoseAsync(society, 3);

        // What was lost before the rule existed is its baseline, not an alert.
        await EvaluateAsync(society);
        Assert.Empty(await FiredAsync(society));

        await LoseAsync(society, 5);
        await EvaluateAsync(society);
        var fired = Assert.Single(await FiredAsync(society));
        Assert.Null(fired.BotId);
        Assert.Equal((rule, (int?)null, "2 live events were lost: given up after every retry failed (5 since the society began)"), Summary(fired));
        Assert.Null(SocietyReads.DetailsOf(fired)["bot_id"]);
        var episode = await EpisodeAsync(society, rule, AlertEvaluator.SocietyWide);
        Assert.True(episode.Firing);
        Assert.Equal(5, episode.Baseline);

        await EvaluateAsync(society);
        Assert.False((await EpisodeAsync(society, rule, AlertEvaluator.SocietyWide)).Firing);

        await LoseAsync(society, 6);
        await EvaluateAsync(society);
        Assert.Equal(2, (await FiredAsync(society)).Count);
        Assert.StartsWith("1 live event was lost", (await EpisodeAsync(society, rule, AlertEvaluator.SocietyWide)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWebhookGetsTheSignedBodyAndServerErrorsAreRetried()
    {
        using var flaky = FakeHttpServer.Start((_, i) => new FakeHttpServer.Reply(i < 2 ? 500 : 200, "{}"));
        using var down = FakeHttpServer.Start((_, _) => new FakeHttpServer.Reply(503, "{}"));
        await using var society = await TestSociety.StartAsync(new ScriptedModel().Services, new Dictionary<string, string?>
        {
            ["Alerts:WebhookRetryDelayMilliseconds"] = "10",
            ["Alerts:WebhookAttempts"] = "3",
        });
        const string Secret = "s3cret-key-for-tests";
        var retried = await AddRuleAsync(society, new AlertRule { Kind = AlertKinds.EventsLost, WebhookUrl = $"{flaky.Url}/hook", Secret = Secret });
        var failing = await AddRuleAsync(society, new AlertRule { Kind = AlertKinds.EventsLost, WebhookUrl = $"{down.Url}/hook", Secret = Secret });
        await EvaluateAsync(society);
        await LoseAsync(society, 1);
        await EvaluateAsync(society);

        var delivered = await FinishedDeliveryAsync(society, retried);
        Assert.Equal((DeliveryStatuses.Delivered, (int?)200, 3, (string?)null), (delivered.Status, delivered.StatusCode, delivered.Attempts, delivered.Error));
        Assert.Equal(3, flaky.Requests.Count);
        var fired = (await FiredAsync(society)).Single(r => (int)SocietyReads.DetailsOf(r)["alert_id"]! == retried);
        Assert.Equal(fired.Id, delivered.ActivityId);
        foreach (var request in flaky.Requests)
        {
            Assert.Equal(("POST", "/hook"), (request.Method, request.PathAndQuery));
            Assert.Equal(delivered.Body, request.Body);
            Assert.Equal("application/json", request.Header("Content-Type"));
            var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(request.Body));
            Assert.Equal($"sha256={Convert.ToHexStringLower(mac)}", request.Header("X-BotSociety-Signature"));
            Assert.Equal(delivered.Id.ToString(CultureInfo.InvariantCulture), request.Header("X-BotSociety-Delivery"));
        }

        var body = JsonNode.Parse(delivered.Body)!.AsObject();
        Assert.Equal(["alert_id", "kind", "bot_id", "bot_name", "message", "fired_at", "activity_id"], body.Select(p => p.Key));
        Assert.Equal(retried, (int)body["alert_id"]!);
        Assert.Equal(fired.Id, (long)body["activity_id"]!);
        Assert.Equal((string)SocietyReads.DetailsOf(fired)["message"]!, (string)body["message"]!);

        var failed = await FinishedDeliveryAsync(society, failing);
        Assert.Equal((DeliveryStatuses.Failed, (int?)503, 3), (failed.Status, failed.StatusCode, failed.Attempts));
        Assert.StartsWith("the endpoint answered 503", failed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, failed.Error, StringComparison.Ordinal);
        Assert.Equal(3, down.Requests.Count);
    }

    private static async Task FailAsync(TestSociety society)
    {
        await society.OnlyDueAsync("Ada");
        await society.TickAsync(TimeSpan.FromMinutes(1));
    }

    private static Task EvaluateAsync(TestSociety society) =>
        society.Services.GetRequiredService<AlertEvaluator>().EvaluateAsync(CancellationToken.None);

    private static async Task<int> AddRuleAsync(TestSociety society, AlertRule rule)
    {
        await using var db = society.Db();
        rule.CreatedAt = rule.UpdatedAt = society.Clock.GetUtcNow().UtcDateTime;
        db.AlertRules.Add(rule);
        await db.SaveChangesAsync();
        return rule.Id;
    }

    private static async Task<List<ActivityLogEntry>> FiredAsync(TestSociety society)
    {
        await using var db = society.Db();
        return await db.ActivityLog.AsNoTracking().Where(a => a.Action == ActivityActions.AlertFired).OrderBy(a => a.Id).ToListAsync();
    }

    private static (int Rule, int? Bot, string Message) Summary(ActivityLogEntry row)
    {
        var details = SocietyReads.DetailsOf(row);
        return ((int)details["alert_id"]!, row.BotId, (string)details["message"]!);
    }

    private static async Task<AlertEpisode> EpisodeAsync(TestSociety society, int rule, int bot)
    {
        await using var db = society.Db();
        return await db.AlertEpisodes.AsNoTracking().SingleAsync(e => e.AlertId == rule && e.BotId == bot);
    }

    /// <summary>Sets the bot's usage today (replacing what it had).</summary>
    private static async Task SpendAsync(TestSociety society, int bot, long tokens, double costUsd)
    {
        await using var db = society.Db();
        var today = society.Today();
        await db.DailyUsage.Where(u => u.BotId == bot && u.Day == today).ExecuteDeleteAsync();
        db.DailyUsage.Add(new DailyUsage { BotId = bot, Day = today, InputTokens = tokens, EstimatedCostUsd = costUsd, Calls = 1 });
        await db.SaveChangesAsync();
    }

    /// <summary>Sets the bot's score now and adds reputation buckets as its heartbeats would have written them.</summary>
    private static async Task ScoreAsync(TestSociety society, int bot, double score, params (DateTime At, double Score)[] buckets)
    {
        await using var db = society.Db();
        await db.Bots.Where(b => b.Id == bot).ExecuteUpdateAsync(s => s.SetProperty(b => b.ReputationScore, score));
        db.ReputationBuckets.AddRange(buckets.Select(p => new ReputationBucket { BotId = bot, Bucket = ReputationBucket.BucketOf(p.At), At = p.At, Score = p.Score }));
        await db.SaveChangesAsync();
    }

    private static async Task LoseAsync(TestSociety society, long lost)
    {
        await using var db = society.Db();
        await db.SocietySettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.EventsLost, lost));
    }

    /// <summary>The rule's one delivery once the sender (a hosted service, woken by the firing) has finished with it.</summary>
    private static async Task<AlertDelivery> FinishedDeliveryAsync(TestSociety society, int rule)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await using var db = society.Db();
            var delivery = await db.AlertDeliveries.AsNoTracking().SingleAsync(d => d.AlertId == rule);
            if (delivery.Status != DeliveryStatuses.Pending)
            {
                return delivery;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"delivery {delivery.Id} is still pending after 30 s");
            await Task.Delay(50);
        }
    }
}
