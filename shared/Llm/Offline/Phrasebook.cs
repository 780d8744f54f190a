using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace BotSociety.Core.Llm.Offline;

/// <summary>Vocabulary of one topic: what people keen on it talk about.</summary>
public sealed class TopicPhrases
{
    public List<string> Subjects { get; set; } = [];
    public List<string> ThreadTitles { get; set; } = [];
    public List<string> Claims { get; set; } = [];
    public List<string> Questions { get; set; } = [];
}

/// <summary>How one communication style opens, agrees, disagrees and signs off, and the leads it puts before a point.</summary>
public sealed class StylePhrases
{
    public List<string> Leads { get; set; } = [];
    public List<string> Openers { get; set; } = [];
    public List<string> Agree { get; set; } = [];
    public List<string> Disagree { get; set; } = [];
    public List<string> Closers { get; set; } = [];
}

/// <summary>The simulator's templates and vocabulary, written by the team and shipped inside the library.</summary>
public sealed class Phrasebook
{
    public Dictionary<string, TopicPhrases> Topics { get; set; } = [];
    public Dictionary<string, StylePhrases> Styles { get; set; } = [];

    public static Phrasebook LoadEmbedded()
    {
        using var stream = typeof(Phrasebook).Assembly.GetManifestResourceStream("offline/phrasebook.yaml")
            ?? throw new InvalidOperationException("The offline phrasebook is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var book = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .Build()
            .Deserialize<Phrasebook>(reader);
        if (book.Topics.Count == 0 || book.Styles.Count == 0)
        {
            throw new InvalidOperationException("The offline phrasebook has no topics or no styles.");
        }

        return book;
    }

    /// <summary>
    /// The phrasebook topic for a free-text interest: the exact slug, else a topic whose slug or subjects
    /// share a word with it, else null (the caller then writes about the interest with general phrases).
    /// </summary>
    public string? MatchTopic(string interest)
    {
        var slug = interest.Trim().ToLowerInvariant().Replace(' ', '-');
        if (Topics.ContainsKey(slug))
        {
            return slug;
        }

        var words = slug.Split('-', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length > 3).ToList();
        return Topics
            .Where(t => words.Any(w => t.Key.Contains(w, StringComparison.Ordinal)
                || t.Value.Subjects.Any(s => s.Contains(w, StringComparison.OrdinalIgnoreCase))))
            .Select(t => t.Key)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
    }
}
