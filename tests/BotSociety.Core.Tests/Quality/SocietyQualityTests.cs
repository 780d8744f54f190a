using BotSociety.Core.Bots;
using BotSociety.Core.Search;
using BotSociety.Core.Simulation;
using BotSociety.Core.Simulation.Quality;
using Microsoft.Extensions.DependencyInjection;

namespace BotSociety.Core.Tests.Quality;

/// <summary>Issue 19: the society reads like people. Each threshold of the issue, held on a fixed seed.</summary>
public sealed class SocietyQualityTests
{
    [Fact]
    public async Task ADayOfTheShippedSocietyMeetsEveryQualityThreshold()
    {
        // A simulated day and a quarter of every shipped persona on the offline model, with memory compression, so
        // threads from the first hours are a full day old at the end.
        await using var society = await TestSociety.StartAsync(settings: new Dictionary<string, string?> { ["Society:Seed"] = "19" });
        var end = society.Clock.GetUtcNow().AddHours(30);
        var nextCompression = society.Clock.GetUtcNow().AddHours(6);
        while (society.Clock.GetUtcNow() < end)
        {
            await society.TickAsync(TimeSpan.FromMinutes(10));
            if (society.Clock.GetUtcNow() >= nextCompression)
            {
                await society.Compressor.RunAsync(CancellationToken.None);
                nextCompression = nextCompression.AddHours(6);
            }
        }

        await using var db = society.Db();
        var quality = await SocietyQuality.MeasureAsync(db, CancellationToken.None);

        // Enough of everything for the shares to mean something.
        Assert.True(quality.SearchResults >= 20 && quality.WarmFacts >= 10 && quality.RelationshipNotes >= 20, Describe(quality));
        Assert.True(quality.ThreadsOlderThanADay >= 5 && quality.Replies >= 100, Describe(quality));
        Assert.Empty(quality.Misses());
        Assert.Equal(16, quality.Bots);
        Assert.Equal(16, quality.DistinctPersonas);
        Assert.True(quality.CommonestEndingCount <= Math.Max(3, quality.Posts / 50), $"stock sign-off: {quality.CommonestEndingCount}x \"{quality.CommonestEnding}\"");
    }

    [Theory]
    [InlineData("confidence intervals", "statistics", true)]
    [InlineData("rainwater harvesting", "gardening", false)]
    [InlineData("meteor showers", "astronomy", true)]
    public async Task SearchReturnsOnlyResultsHoldingTheQuerysWords(string query, string topic, bool corpusCoversIt)
    {
        await using var society = await TestSociety.StartAsync();
        var search = society.Services.GetRequiredService<ISearchProvider>();

        var results = await search.SearchAsync(query, 3, CancellationToken.None);

        // The corpus has no article on rainwater: nothing is a better answer than tea harvesting. What comes back holds
        // the query's words and is on its topic.
        Assert.Equal(corpusCoversIt, results.Count > 0);
        Assert.All(results, r => Assert.True(QualityText.SharesContentWord(query, r.Title + " " + r.Snippet), $"{r.Title}: {r.Snippet}"));
        Assert.All(results, r => Assert.Equal(topic, r.Topic));
    }

    [Theory]
    [InlineData(0.75, "Ada downvoted my writing on \"Indexes\".", "On good terms with Ada")]
    [InlineData(-0.4, "Ada upvoted my writing on \"Indexes\".", "Wary of Ada")]
    [InlineData(0.0, "I follow Ada.", "Undecided about Ada")]
    public void ARelationshipNoteLeadsWithItsOverallStance(double sentiment, string latest, string stance)
    {
        var note = TickApplier.RelationshipNote("Ada", sentiment, latest);

        Assert.StartsWith(stance + "; lately: ", note, StringComparison.Ordinal);
        Assert.EndsWith(latest, note, StringComparison.Ordinal);
        Assert.Equal(Math.Sign(Math.Round(sentiment, 1)), QualityText.NoteTone(note));
    }

    [Fact]
    public void ShippedPersonasAreSixteenDistinctPeople()
    {
        var catalog = new PersonaCatalog(Microsoft.Extensions.Options.Options.Create(new SocietyOptions()));
        var personas = catalog.LoadAll();

        Assert.Equal(16, personas.Count);
        Assert.Equal(16, personas.Select(p => p.Name).Distinct().Count());
        Assert.Equal(16, personas.Select(p => p.Config.Personality.Bio).Distinct().Count());
        Assert.Equal(16, personas.Select(p => string.Join(",", p.Config.Personality.Interests)).Distinct().Count());
        Assert.Equal(PersonaVocabulary.CommunicationStyles.Count, personas.Select(p => p.Config.Personality.CommunicationStyle).Distinct().Count());
    }

    [Fact]
    public void PeopleBeyondTheShippedPersonasAreVariedNotNumberedCopies()
    {
        var catalog = new PersonaCatalog(Microsoft.Extensions.Options.Options.Create(new SocietyOptions()));

        var people = catalog.People(60, seed: 42);
        var again = catalog.People(60, seed: 42);

        Assert.Equal(60, people.Count);
        Assert.Equal(people.Select(p => p.Name), again.Select(p => p.Name));
        Assert.Equal(60, people.Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.DoesNotContain(people, p => System.Text.RegularExpressions.Regex.IsMatch(p.Name, @"-\d+$"));
        Assert.Equal(60, people.Select(p => p.Key).Distinct().Count());
        var generated = people.Skip(16).ToList();
        Assert.True(generated.Select(p => p.Config.Personality.Bio).Distinct().Count() >= 30, "bios vary");
        Assert.True(generated.Select(p => string.Join(",", p.Config.Personality.Interests)).Distinct().Count() >= 40, "interests vary");
        Assert.All(generated, p => Assert.Empty(PersonalityConfigValidator.Validate(p.Config)));
    }

    private static string Describe(SocietyQuality q) =>
        $"search {q.SearchRelevance:P0} of {q.SearchResults}, facts {q.FactsOnPersona:P0} of {q.WarmFacts}, notes {q.ContradictingNotes}/{q.RelationshipNotes}, "
        + $"repetition {q.RepetitionMax:P0}/{q.RepetitionMedian:P0}, answered {q.ThreadsAnsweredWithinADay:P0} of {q.ThreadsOlderThanADay}, "
        + $"{q.Threads} threads {q.Replies} replies, misses: {string.Join("; ", q.Misses())}";
}
