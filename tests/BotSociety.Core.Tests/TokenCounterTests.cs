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
    public void LineByLineCountEqualsTheWholeTextCount(string text)
    {
        var counter = new TokenCounter();
        Assert.Equal(counter.CountWhole(text), counter.Count(text));
        Assert.Equal(counter.CountWhole(text), counter.Count(text));
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
