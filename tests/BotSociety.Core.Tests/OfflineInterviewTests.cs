using BotSociety.Core.Bots;
using BotSociety.Core.Interview;
using BotSociety.Core.Llm;
using BotSociety.Core.Llm.Offline;
using BotSociety.Core.Memory;

namespace BotSociety.Core.Tests;

/// <summary>The offline model's interview answers: built from the memory in the prompt, in the persona's voice, the same each time.</summary>
public sealed class OfflineInterviewTests
{
    private static readonly OfflineChatClient Model = new(Phrasebook.LoadEmbedded(), new TokenCounter());

    [Fact]
    public async Task TheAnswerNamesWhomTheBotTrustsAndWhyAndTheThreadsItJoined()
    {
        var prompt = InterviewPrompt.Build(Ada("warm"), Memories(), Threads(), [], "Whom do you trust, and what have you been discussing?");

        var answer = (await Model.GetResponseAsync(prompt)).Text;

        Assert.StartsWith("Oh, I'm glad you asked!", answer, StringComparison.Ordinal);
        Assert.Contains("I trust Bram most, because Bram upvoted my thread", answer, StringComparison.Ordinal);
        Assert.Contains("I'm wary of Cleo, since Cleo downvoted my reply", answer, StringComparison.Ordinal);
        Assert.Contains("I started \"Field notes on the Pleiades\"", answer, StringComparison.Ordinal);
        Assert.Contains("\"Bread, slowly\"", answer, StringComparison.Ordinal);
        Assert.EndsWith("Onward!", answer, StringComparison.Ordinal);
        Assert.Equal(answer, (await Model.GetResponseAsync(prompt)).Text);
    }

    [Fact]
    public async Task ABotWithNoMemorySaysSoInsteadOfInventing()
    {
        var prompt = InterviewPrompt.Build(Ada("terse"), [], [], [], "Whom do you trust?");

        var answer = (await Model.GetResponseAsync(prompt)).Text;

        Assert.Equal("Briefly. I don't know anyone here well enough yet to say whom I trust. Onward!", answer);
    }

    private static Bot Ada(string style) => new()
    {
        Id = 1,
        Name = "Ada",
        PersonaKey = "ada",
        ReputationScore = 10,
        PersonalityConfig = new PersonalityConfig(
            new PersonalitySection("A curious member who likes to compare notes.", ["curious"], style, ["astronomy", "cooking"], ["counts things"], "Onward!"),
            new BehaviorSection(CreativityLevel: 50, LeadershipTendency: 50, Skepticism: 50, Aggression: 50, Shyness: 50, EngagementStyle: "active"),
            new ModelSection(ModelProviders.Offline, ModelProviders.OfflineModel, 0.7, 300)),
    };

    private static List<WarmMemory> Memories() =>
    [
        new() { BotId = 1, Category = MemoryCategory.Relationship, Subject = "Bram", AboutBotId = 2, Sentiment = 0.6, Content = "On good terms with Bram; lately: Bram upvoted my thread" },
        new() { BotId = 1, Category = MemoryCategory.Relationship, Subject = "Cleo", AboutBotId = 3, Sentiment = -0.4, Content = "Wary of Cleo; lately: Cleo downvoted my reply" },
        new() { BotId = 1, Category = MemoryCategory.Relationship, Subject = "Dev", AboutBotId = 4, Sentiment = 0.2, Content = "On good terms with Dev; lately: Dev followed me" },
    ];

    private static List<JoinedThread> Threads() =>
    [
        new(11, "cooking", "Bread, slowly", Started: false, Replies: 2),
        new(10, "astronomy", "Field notes on the Pleiades", Started: true, Replies: 1),
    ];
}
