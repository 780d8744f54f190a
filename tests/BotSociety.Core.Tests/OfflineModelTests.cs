using BotSociety.Core.Bots;
using BotSociety.Core.Llm;
using BotSociety.Core.Llm.Offline;
using BotSociety.Core.Simulation;
using Microsoft.Extensions.AI;

namespace BotSociety.Core.Tests;

public sealed class OfflineModelTests
{
    private const int Seeds = 400;

    private static readonly TokenCounter Tokens = new();
    private static readonly Phrasebook Phrases = Phrasebook.LoadEmbedded();
    private static readonly OfflineChatClient Model = new(Phrases, Tokens);

    [Fact]
    public async Task SamePromptAndSeedGiveTheSameAnswer()
    {
        var prompt = PromptBuilder.BuildHeartbeat(Context(NewBot()));
        var answers = new HashSet<string>();
        for (var seed = 0; seed < Seeds; seed++)
        {
            var first = await AskAsync(prompt, seed, 0.7f);
            var again = await AskAsync(PromptBuilder.BuildHeartbeat(Context(NewBot())), seed, 0.7f);
            Assert.Equal(first.Text, again.Text);
            answers.Add(first.Text);
        }

        Assert.True(answers.Count > Seeds / 4, $"different seeds give different answers ({answers.Count} distinct of {Seeds})");
    }

    [Fact]
    public async Task ShyBotStartsFewerThreads()
    {
        var shy = Count(await DecideAsync(NewBot(shyness: 95)), ActivityActions.CreateThread);
        var bold = Count(await DecideAsync(NewBot(shyness: 5)), ActivityActions.CreateThread);

        Assert.True(shy * 2 < bold, $"shyness 95 started {shy} threads, shyness 5 started {bold}");
    }

    [Fact]
    public async Task AggressiveBotDownvotesMore()
    {
        var aggressive = (await DecideAsync(NewBot(aggression: 95))).Where(a => a.Action == ActivityActions.Vote).ToList();
        var gentle = (await DecideAsync(NewBot(aggression: 5))).Where(a => a.Action == ActivityActions.Vote).ToList();

        Assert.True(aggressive.Count >= 30 && gentle.Count >= 30, $"enough votes to compare ({aggressive.Count}, {gentle.Count})");
        var aggressiveDown = aggressive.Count(v => v.Direction == "down") / (double)aggressive.Count;
        var gentleDown = gentle.Count(v => v.Direction == "down") / (double)gentle.Count;
        Assert.True(aggressiveDown > gentleDown + 0.2, $"down share: aggression 95 {aggressiveDown:P0}, aggression 5 {gentleDown:P0}");
        Assert.All(aggressive.Concat(gentle), v => Assert.Contains(v.TargetId, new int?[] { 10, 11, 12 }));
    }

    [Fact]
    public async Task InterestsChooseTheThreadTopics()
    {
        // Bots answer before they start threads, so it takes more heartbeats to see twenty threads.
        var astronomy = (await DecideAsync(NewBot(interests: ["astronomy"]), seeds: Seeds * 3)).Where(a => a.Action == ActivityActions.CreateThread).ToList();
        var cooking = (await DecideAsync(NewBot(interests: ["cooking"]), seeds: Seeds * 3)).Where(a => a.Action == ActivityActions.CreateThread).ToList();

        Assert.True(astronomy.Count >= 20 && cooking.Count >= 20, $"enough threads to compare ({astronomy.Count}, {cooking.Count})");
        Assert.All(astronomy, t => Assert.Equal("astronomy", t.Topic));
        Assert.All(cooking, t => Assert.Equal("cooking", t.Topic));
        Assert.Empty(astronomy.Select(t => t.Title).Intersect(cooking.Select(t => t.Title)));
        Assert.Contains(astronomy, t => Phrases.Topics["astronomy"].Subjects.Any(s => t.Body!.Contains(s, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task HigherTemperatureVariesActionsMore()
    {
        var cold = await DecideAsync(NewBot(), temperature: 0.0f);
        var hot = await DecideAsync(NewBot(), temperature: 1.0f);

        var coldTop = cold.GroupBy(a => a.Action).Max(g => g.Count());
        var hotTop = hot.GroupBy(a => a.Action).Max(g => g.Count());
        Assert.True(coldTop > hotTop, $"most common action: {coldTop} of {Seeds} at 0.0, {hotTop} at 1.0");
        Assert.True(Entropy(hot.Select(a => a.Action)) > Entropy(cold.Select(a => a.Action)) + 0.2,
            $"action entropy {Entropy(cold.Select(a => a.Action)):0.00} at 0.0, {Entropy(hot.Select(a => a.Action)):0.00} at 1.0");
    }

    [Fact]
    public async Task AnswerIsLabelledSimulatedAndCountsTokens()
    {
        var prompt = PromptBuilder.BuildHeartbeat(Context(NewBot()));
        for (var seed = 0; seed < 20; seed++)
        {
            var response = await AskAsync(prompt, seed, 0.7f);
            Assert.Equal(ModelProviders.OfflineModel, response.ModelId);
            Assert.Equal("offline-simulator", response.ModelId);
            Assert.NotNull(response.Usage);
            Assert.True(response.Usage.InputTokenCount > 100, $"the prompt is {response.Usage.InputTokenCount} tokens");
            Assert.True(response.Usage.OutputTokenCount > 0);
            Assert.Equal(Tokens.Count(response.Text), response.Usage.OutputTokenCount);
        }
    }

    [Fact]
    public async Task ThreadsAndRepliesReadLikeProse()
    {
        var written = new List<BotAction>();
        foreach (var style in PersonaVocabulary.CommunicationStyles)
        {
            foreach (var interest in Phrases.Topics.Keys)
            {
                var bot = NewBot(style: style, shyness: 0, interests: [interest]);
                written.AddRange((await DecideAsync(bot, temperature: 1.0f, seeds: 30))
                    .Where(a => a.Action is ActivityActions.CreateThread or ActivityActions.Reply));
            }
        }

        Assert.Contains(written, a => a.Action == ActivityActions.CreateThread);
        Assert.Contains(written, a => a.Action == ActivityActions.Reply);
        Assert.All(written, a =>
        {
            foreach (var text in new[] { a.Title, a.Body }.OfType<string>())
            {
                Assert.DoesNotContain("{subject}", text, StringComparison.Ordinal);
                Assert.DoesNotContain("{author}", text, StringComparison.Ordinal);
                Assert.DoesNotContain('{', text);
                Assert.DoesNotContain("  ", text, StringComparison.Ordinal);
                Assert.Equal(text.Trim(), text);
            }

            Assert.False(string.IsNullOrWhiteSpace(a.Body));
            if (a.Action == ActivityActions.CreateThread)
            {
                // A title opens like a sentence: a capital letter (or a figure, as in "35mm projection").
                Assert.True(char.IsUpper(a.Title![0]) || char.IsDigit(a.Title[0]), $"title \"{a.Title}\"");
                Assert.InRange(a.Title.Length, 3, TickApplier.MaxTitleLength);
                Assert.InRange(a.Body!.Length, 1, TickApplier.MaxBodyLength);
            }
        });
    }

    private static async Task<List<BotAction>> DecideAsync(Bot bot, float temperature = 0.7f, int seeds = Seeds)
    {
        var prompt = PromptBuilder.BuildHeartbeat(Context(bot));
        var actions = new List<BotAction>(seeds);
        for (var seed = 0; seed < seeds; seed++)
        {
            var response = await AskAsync(prompt, seed, temperature);
            var (action, error) = ActionParser.Parse(response.Text);
            Assert.True(action is not null, error);
            actions.Add(action);
        }

        return actions;
    }

    private static Task<ChatResponse> AskAsync(IList<ChatMessage> prompt, int seed, float temperature) =>
        Model.GetResponseAsync(prompt, new ChatOptions { Seed = seed, Temperature = temperature });

    private static int Count(List<BotAction> actions, string action) => actions.Count(a => a.Action == action);

    private static double Entropy(IEnumerable<string> values)
    {
        var counts = values.GroupBy(v => v).Select(g => (double)g.Count()).ToList();
        var total = counts.Sum();
        return -counts.Sum(c => c / total * Math.Log2(c / total));
    }

    private static Bot NewBot(string style = "casual", int shyness = 50, int aggression = 50, IReadOnlyList<string>? interests = null) => new()
    {
        Id = 1,
        Name = "Ada",
        PersonaKey = "ada",
        ReputationScore = 10,
        PersonalityConfig = new PersonalityConfig(
            new PersonalitySection("A curious member who likes to compare notes.", ["curious", "patient"], style,
                interests ?? ["astronomy", "cooking"], ["counts things"], null),
            new BehaviorSection(CreativityLevel: 50, LeadershipTendency: 50, Skepticism: 50, Aggression: aggression, Shyness: shyness, EngagementStyle: "active"),
            new ModelSection(ModelProviders.Offline, ModelProviders.OfflineModel, 0.7, 300)),
    };

    /// <summary>A feed with three threads by two other members, and both of them to follow.</summary>
    private static HeartbeatContext Context(Bot bot)
    {
        var at = TestSociety.Start.UtcDateTime;
        return new HeartbeatContext(
            bot,
            Memories: [],
            Summaries: [],
            Following: [],
            FollowCandidates: [new BotRef(2, "Bram"), new BotRef(3, "Cleo")],
            NewThreads:
            [
                new FeedThread(10, 2, "Bram", "astronomy", "Field notes on the Pleiades", "Six sisters visible from the backyard.", 2, 3, at),
                new FeedThread(11, 3, "Cleo", "cooking", "Keeping a sourdough starter alive", "Mine is eleven years old.", 0, 1, at),
                new FeedThread(12, 2, "Bram", "chess", "The Sicilian again", "Why does everyone play it?", 5, -1, at),
            ],
            RepliesToBot: [],
            FromFollowed: [],
            AlreadyVoted: new HashSet<(VoteTargetKind, int)>());
    }
}
