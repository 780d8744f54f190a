using BotSociety.Core.Simulation;

namespace BotSociety.Core.Bots;

/// <summary>
/// Makes people beyond the shipped personas, for a society larger than the persona files: each one its own name, job,
/// voice, interests and habits, drawn from the seed, so a society of 40 reads as 40 people rather than numbered copies.
/// </summary>
public static class PersonaGenerator
{
    private static readonly string[] FirstNames =
    [
        "Abel", "Beatriz", "Cyrus", "Dalia", "Emeka", "Freya", "Goran", "Hiroko", "Idris", "Jana", "Kofi", "Lucia", "Mateo",
        "Noor", "Olek", "Paloma", "Quentin", "Rania", "Soren", "Tamsin", "Umar", "Vera", "Wendell", "Xiomara", "Yusuf", "Zora",
        "Anselm", "Bettina", "Caspar", "Delphine", "Ezra", "Farah", "Gideon", "Helka", "Imre", "Juno", "Kasimir", "Leila",
        "Marek", "Nadia", "Osric", "Petra", "Rafael", "Saoirse", "Tobias", "Ulla", "Viktor", "Wren", "Yara", "Zeno",
    ];

    private static readonly string[] Surnames =
    [
        "Adler", "Brandt", "Costa", "Duval", "Eriksen", "Falk", "Greco", "Hale", "Ibsen", "Jovanovic", "Kato", "Lindqvist",
        "Moreau", "Novak", "Okafor", "Park", "Quist", "Rossi", "Sato", "Tanaka", "Urquhart", "Varga", "Weber", "Young",
    ];

    private static readonly (string Job, string[] Topics)[] Jobs =
    [
        ("ferry mechanic", ["robotics", "history", "sports"]),
        ("school librarian", ["poetry", "history", "film"]),
        ("hospital statistician", ["statistics", "science", "nutrition"]),
        ("beekeeper", ["gardening", "birdwatching", "climate"]),
        ("backend developer", ["programming", "databases", "distributed-systems"]),
        ("night-sky photographer", ["astronomy", "space-exploration", "painting"]),
        ("city bus driver", ["urban-planning", "economics", "music"]),
        ("bakery owner", ["cooking", "tea", "economics"]),
        ("chess coach", ["chess", "board-games", "history"]),
        ("wind-farm technician", ["climate", "robotics", "science"]),
        ("film projectionist", ["film", "music", "history"]),
        ("data journalist", ["statistics", "economics", "artificial-intelligence"]),
        ("tea importer", ["tea", "history", "cooking"]),
        ("rowing coach", ["sports", "nutrition", "science"]),
        ("museum conservator", ["painting", "history", "science"]),
        ("satellite operator", ["space-exploration", "distributed-systems", "astronomy"]),
    ];

    private static readonly string[] Habits =
    [
        "reads every thread to the end before answering", "keeps a paper notebook of good arguments",
        "asks newcomers what brought them here", "tests every claim on a small example first",
        "collects odd facts for dinner conversations", "changes their mind in public and says so",
        "prefers one careful post to five quick ones", "likes to connect two threads nobody linked",
    ];

    private static readonly string[] Traits =
        ["curious", "patient", "stubborn", "generous", "wry", "careful", "restless", "earnest", "sceptical", "cheerful", "shy", "bold"];

    private static readonly string[] Quirks =
    [
        "asks for an example", "answers with a story from work", "summarises the thread before replying",
        "admits what nobody knows yet", "brings up an old book", "counts the replies before joining",
    ];

    /// <summary>
    /// The person at <paramref name="index"/> (0 for the first beyond the shipped personas), the same for a seed;
    /// <paramref name="taken"/> holds the names already in use, and the new name is added to it.
    /// </summary>
    public static Persona Generate(IReadOnlyList<Persona> shipped, int index, long seed, ISet<string> taken)
    {
        var random = new Random(unchecked((int)SeedMixer.For(seed, index, 19)));
        var name = FirstNames[random.Next(FirstNames.Length)];
        for (var attempt = 0; taken.Contains(name); attempt++)
        {
            // After a few tries a surname tells two people apart, as it would in any club, then a middle initial; only a
            // society of tens of thousands runs out of those and falls back to the member number.
            var first = FirstNames[random.Next(FirstNames.Length)];
            var surname = Surnames[random.Next(Surnames.Length)];
            name = attempt switch
            {
                < 8 => first,
                < 40 => $"{first} {surname}",
                < 80 => $"{first} {(char)('A' + random.Next(26))}. {surname}",
                _ => $"{first} {surname} #{shipped.Count + index + 1}",
            };
        }

        taken.Add(name);
        var (job, jobTopics) = Jobs[random.Next(Jobs.Length)];
        var others = shipped.SelectMany(p => p.Config.Personality.Interests).Distinct(StringComparer.Ordinal).Except(jobTopics).Order(StringComparer.Ordinal).ToArray();
        random.Shuffle(others);
        var interests = jobTopics.OrderBy(_ => random.Next()).Take(2 + random.Next(2)).Concat(others.Take(1 + random.Next(2))).ToList();
        var style = PersonaVocabulary.CommunicationStyles[random.Next(PersonaVocabulary.CommunicationStyles.Count)];
        var traits = Traits.OrderBy(_ => random.Next()).Take(3).ToList();
        int Trait() => random.Next(5, 96);
        var template = shipped[random.Next(shipped.Count)].Config;
        var config = new PersonalityConfig(
            new PersonalitySection(
                $"A {job} who {Habits[random.Next(Habits.Length)]}.",
                traits,
                style,
                interests,
                Quirks.OrderBy(_ => random.Next()).Take(2).ToList(),
                null),
            new BehaviorSection(Trait(), Trait(), Trait(), Trait(), Trait(),
                PersonaVocabulary.EngagementStyles[random.Next(PersonaVocabulary.EngagementStyles.Count)]),
            template.Model with { Temperature = Math.Round(0.3 + (random.NextDouble() * 0.6), 2) });
        return new Persona($"generated-{shipped.Count + index + 1}", name, config, "");
    }
}
