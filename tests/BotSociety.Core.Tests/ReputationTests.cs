using BotSociety.Core.Memory;
using BotSociety.Core.Reputation;
using BotSociety.Core.Simulation;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Tests;

public sealed class ReputationTests
{
    [Fact]
    public async Task ReputationFollowsVotes()
    {
        var model = new ScriptedModel();
        await using var society = await TestSociety.StartAsync(model.Services);
        var threadId = await CreateThreadAsync(society, model, "Ada");
        var ada = await society.BotIdAsync("Ada");

        model.Say("Bram", Vote(threadId, "up"));
        model.Say("Cleo", Vote(threadId, "down"));
        model.Say("Dex", $$"""{"action":"reply","thread_id":{{threadId}},"body":"The Pleiades are my favourite too."}""");
        model.Say("Echo", $$"""{"action":"follow","bot_id":{{ada}}}""");
        await society.OnlyDueAsync("Bram", "Cleo", "Dex", "Echo");
        var report = await society.TickAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(4, report.Acted);
        await using var db = society.Db();
        var scores = await db.Bots.ToDictionaryAsync(b => b.Name, b => b.ReputationScore);
        Assert.Equal(
            ReputationRules.StartingScore + ReputationRules.UpvoteReceived + ReputationRules.DownvoteReceived
                + ReputationRules.ReplyReceived + ReputationRules.FollowerGained,
            scores["Ada"]);
        Assert.All(["Bram", "Cleo", "Dex", "Echo"], name => Assert.Equal(ReputationRules.StartingScore, scores[name]));

        // What a watcher reads: each activity row carries the actor's score at that moment, unmoved by its own action.
        var rows = await db.ActivityLog.Include(a => a.Bot).Where(a => a.Bot!.Name != "Ada").ToListAsync();
        Assert.All(rows, r => Assert.Equal(ReputationRules.StartingScore, (double)SocietyReads.DetailsOf(r)["reputation_score"]!));
        var thread = await db.Threads.SingleAsync();
        Assert.Equal(0, thread.Score);
        Assert.Equal(1, thread.ReplyCount);
    }

    [Fact]
    public async Task DownvoteIsRememberedByBothSides()
    {
        var model = new ScriptedModel();
        await using var society = await TestSociety.StartAsync(model.Services);
        var threadId = await CreateThreadAsync(society, model, "Ada");
        var ada = await society.BotIdAsync("Ada");
        var cleo = await society.BotIdAsync("Cleo");

        model.Say("Cleo", Vote(threadId, "down"));
        await society.OnlyDueAsync("Cleo");
        await society.TickAsync(TimeSpan.FromMinutes(1));

        await using var db = society.Db();
        var vote = Assert.Single(await society.ActivityOfAsync("Cleo", ActivityActions.Vote));
        var events = await db.RelationshipEvents.OrderBy(e => e.Id).ToListAsync();
        var given = Assert.Single(events, e => e.BotId == cleo);
        Assert.Equal((ada, "downvoted"), (given.OtherBotId, given.Kind));
        Assert.True(given.SentimentDelta < 0, $"the voter's feeling moved by {given.SentimentDelta}");
        Assert.Equal(vote.Id, given.ActivityId);
        var received = Assert.Single(events, e => e.BotId == ada);
        Assert.Equal((cleo, "was_downvoted"), (received.OtherBotId, received.Kind));
        Assert.True(received.SentimentDelta < 0, $"the author's feeling moved by {received.SentimentDelta}");
        Assert.Equal(vote.Id, received.ActivityId);

        var relationships = await db.WarmMemories.Where(m => m.Category == MemoryCategory.Relationship).ToListAsync();
        var cleoAboutAda = Assert.Single(relationships, m => m.BotId == cleo);
        Assert.Equal(ada, cleoAboutAda.AboutBotId);
        Assert.Equal("Ada", cleoAboutAda.Subject);
        Assert.True(cleoAboutAda.Sentiment < 0, $"Cleo's sentiment about Ada is {cleoAboutAda.Sentiment}");
        var adaAboutCleo = Assert.Single(relationships, m => m.BotId == ada);
        Assert.Equal(cleo, adaAboutCleo.AboutBotId);
        Assert.Equal("Cleo", adaAboutCleo.Subject);
        Assert.True(adaAboutCleo.Sentiment < 0, $"Ada's sentiment about Cleo is {adaAboutCleo.Sentiment}");
        Assert.Contains("downvoted", adaAboutCleo.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReputationNeverFallsBelowFloor()
    {
        var model = new ScriptedModel();
        await using var society = await TestSociety.StartAsync(model.Services);
        var threadId = await CreateThreadAsync(society, model, "Ada");
        await using (var db = society.Db())
        {
            await db.Bots.Where(b => b.Name == "Ada").ExecuteUpdateAsync(s => s.SetProperty(b => b.ReputationScore, ReputationRules.Floor + 1.5));
        }

        string[] voters = ["Bram", "Cleo", "Dex", "Echo", "Fern"];
        foreach (var voter in voters)
        {
            model.Say(voter, Vote(threadId, "down"));
        }

        await society.OnlyDueAsync(voters);
        var report = await society.TickAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(voters.Length, report.Acted);
        Assert.Equal(ReputationRules.Floor, await ScoreAsync(society, "Ada"));

        // The floor is a floor, not a debt: the next upvote counts in full.
        model.Say("Gus", Vote(threadId, "up"));
        await society.OnlyDueAsync("Gus");
        await society.TickAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(ReputationRules.Floor + ReputationRules.UpvoteReceived, await ScoreAsync(society, "Ada"));
    }

    private static string Vote(int threadId, string direction) =>
        $$"""{"action":"vote","target_type":"thread","target_id":{{threadId}},"direction":"{{direction}}"}""";

    private static async Task<int> CreateThreadAsync(TestSociety society, ScriptedModel model, string author)
    {
        model.Say(author, """{"action":"create_thread","topic":"astronomy","title":"Field notes on the Pleiades","body":"Six sisters visible tonight."}""");
        await society.OnlyDueAsync(author);
        await society.TickAsync(TimeSpan.Zero);
        await using var db = society.Db();
        return await db.Threads.Where(t => t.Bot!.Name == author).Select(t => t.Id).SingleAsync();
    }

    private static async Task<double> ScoreAsync(TestSociety society, string name)
    {
        await using var db = society.Db();
        return await db.Bots.Where(b => b.Name == name).Select(b => b.ReputationScore).SingleAsync();
    }
}
