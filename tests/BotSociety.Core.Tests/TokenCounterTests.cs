using BotSociety.Core.Llm;
using BotSociety.Core.Simulation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BotSociety.Core.Tests;

public sealed class TokenCounterTests
{
    [Theory]
    [InlineData("")]
    [InlineData("one line")]
    [InlineData("a\nb\n\nc  \n\n  d\n")]
    [InlineData("- post #3 in thread #1 [tea] by Bram (#2) voted=no: \"Quoted\"\n- thread #4 by Ada (#1) [chess] score=-1 replies=0 voted=yes: \"Title\" - x\n\n## Heading\n")]
    [InlineData("ends with spaces   \nnext\r\nwindows line\r\n\tindented\n42 numbers 1234567\n")]
    [InlineData("Name: Ada (#1)\nBio: a:b c :d e::f ab's: don'T: x:/y http://example.org/a:b 12:30 Z:\n:start\n")]
    [InlineData("voted=no: \"It's: \u00e9t\u00e9: caf\u00e9\u0301: \u4e2d\u6587: \u041f\u0440\u0438\u0432\u0435\u0442: ok\":\" - x\n")]
    [InlineData("a:\n:\n b: \n\tc:\r\nD:\u00a0e:  :f\n")]
    public void LineByLineCountEqualsTheWholeTextCount(string text)
    {
        var counter = new TokenCounter();
        Assert.Equal(counter.CountWhole(text), counter.Count(text));
        Assert.Equal(counter.CountWhole(text), counter.Count(text));
    }

    [Fact]
    public void MixedTextCountsTheSameInChunks()
    {
        // Fragments chosen around the cuts: letters, marks and apostrophes before a colon, colons after digits,
        // spaces and punctuation, newlines before spaces, slashes and colons.
        string[] fragments =
        [
            "a", "Zed", "voted=no", "it's", "'s", "don't", ":", "::", ": ", " :", ":/", "/", "\n", "\r\n", "\n ", "\n\n", "  ", "\t",
            "12", "1234", "#5", "(#3)", "\"", "é", "e\u0301", "中文", "Привет", "\u00a0", "-", ".", "http://x.org/a:b", "score=-1",
        ];
        var random = new Random(19);
        var counter = new TokenCounter();
        for (var n = 0; n < 3000; n++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 24)).Select(_ => fragments[random.Next(fragments.Length)]));
            Assert.True(counter.CountWhole(text) == counter.Count(text), $"counts differ for \"{text.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal)}\"");
        }
    }

    [Fact]
    public async Task RealPromptsCountTheSameLineByLine()
    {
        await using var society = await TestSociety.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            await society.TickAsync(TimeSpan.FromMinutes(1));
        }

        var counter = society.Services.GetRequiredService<TokenCounter>();
        await using var db = society.Db();
        var bots = await db.Bots.AsNoTracking().ToListAsync();
        var contexts = await society.Services.GetRequiredService<FeedLoader>().LoadAsync(db, bots, CancellationToken.None);
        foreach (var context in contexts)
        {
            foreach (var message in PromptBuilder.BuildHeartbeat(context))
            {
                Assert.Equal(counter.CountWhole(message.Text), counter.Count(message.Text));
            }
        }
    }
}
