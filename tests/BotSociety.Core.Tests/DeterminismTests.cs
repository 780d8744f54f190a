using System.Text;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Tests;

public sealed class DeterminismTests
{
    [Fact]
    public async Task TwoRunsWithTheSameSeedProduceTheSameSociety()
    {
        var first = await RunAsync(seed: "11");
        var second = await RunAsync(seed: "11");

        Assert.Equal(first, second);
        Assert.Contains("thread|", first, StringComparison.Ordinal);
        Assert.Contains("vote|", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADifferentSeedProducesADifferentSociety()
    {
        var first = await RunAsync(seed: "11");
        var other = await RunAsync(seed: "12");

        Assert.NotEqual(first, other);
    }

    /// <summary>Runs a society for a simulated few hours, compression included, and describes everything it made.</summary>
    private static async Task<string> RunAsync(string seed)
    {
        await using var society = await TestSociety.StartAsync(settings: new Dictionary<string, string?> { ["Society:Seed"] = seed });
        for (var i = 0; i < 80; i++)
        {
            await society.TickAsync(TimeSpan.FromMinutes(2));
        }

        society.Clock.Advance(TimeSpan.FromHours(7));
        await society.Compressor.RunAsync(CancellationToken.None);

        await using var db = society.Db();
        var text = new StringBuilder();
        foreach (var t in await db.Threads.OrderBy(t => t.Id).ToListAsync())
        {
            text.Append($"thread|{t.Id}|{t.BotId}|{t.Topic}|{t.Title}|{t.Body}|{t.Score}|{t.ReplyCount}|{t.CreatedAt:O}\n");
        }

        foreach (var p in await db.Posts.OrderBy(p => p.Id).ToListAsync())
        {
            text.Append($"post|{p.Id}|{p.ThreadId}|{p.ParentPostId}|{p.BotId}|{p.Body}|{p.Score}\n");
        }

        foreach (var v in await db.Votes.OrderBy(v => v.Id).ToListAsync())
        {
            text.Append($"vote|{v.BotId}|{v.TargetType}|{v.TargetId}|{v.Value}\n");
        }

        foreach (var f in await db.Follows.OrderBy(f => f.FollowerId).ThenBy(f => f.FolloweeId).ToListAsync())
        {
            text.Append($"follow|{f.FollowerId}|{f.FolloweeId}|{f.CreatedAt:O}\n");
        }

        foreach (var b in await db.Bots.OrderBy(b => b.Id).ToListAsync())
        {
            text.Append($"bot|{b.Name}|{b.ReputationScore}|{b.HeartbeatCount}|{b.NextHeartbeatAt:O}\n");
        }

        foreach (var a in await db.ActivityLog.OrderBy(a => a.Id).ToListAsync())
        {
            text.Append($"activity|{a.BotId}|{a.Action}|{a.Details}|{a.InputTokens}|{a.OutputTokens}|{a.CreatedAt:O}\n");
        }

        foreach (var m in await db.WarmMemories.OrderBy(m => m.Id).ToListAsync())
        {
            text.Append($"warm|{m.BotId}|{m.Category}|{m.Subject}|{m.Content}|{m.Importance}|{m.Sentiment}\n");
        }

        foreach (var c in await db.ColdMemories.OrderBy(c => c.Id).ToListAsync())
        {
            text.Append($"cold|{c.BotId}|{c.Summary}|{c.PeriodStart:O}|{c.PeriodEnd:O}\n");
        }

        return text.ToString();
    }
}
