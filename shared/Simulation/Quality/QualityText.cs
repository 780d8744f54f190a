using System.Text.RegularExpressions;
using BotSociety.Core.Data.Dialects;
using BotSociety.Core.Search;

namespace BotSociety.Core.Simulation.Quality;

/// <summary>
/// How the quality measures read text: sentences, content words and the tone of a relationship note. The offline
/// model uses the same readings to avoid what the measures count, so both agree on what "the same sentence" is.
/// </summary>
internal static partial class QualityText
{
    /// <summary>Sentences shorter than this are phrases anyone repeats ("I agree."); only longer ones count as repetition.</summary>
    public const int MinRepeatedSentence = 25;

    /// <summary>The text's sentences of at least <see cref="MinRepeatedSentence"/> characters, trimmed.</summary>
    public static IEnumerable<string> LongSentences(string text) =>
        SentenceEnd().Split(text).Select(s => s.Trim()).Where(s => s.Length >= MinRepeatedSentence);

    /// <summary>The text's sentences as the measures split them, trimmed, empty ones left out.</summary>
    public static IEnumerable<string> Sentences(string text) =>
        SentenceEnd().Split(text.Trim()).Select(s => s.Trim()).Where(s => s.Length > 0);

    /// <summary>True when the measures read the text as a single sentence.</summary>
    public static bool IsOneSentence(string text) => !SentenceEnd().IsMatch(text.Trim());

    /// <summary>The query's content words as the search reads them (no stop words), stemmed.</summary>
    public static HashSet<string> ContentStems(string text) =>
        SearchTerms.Of(text).Select(PorterStemmer.Stem).Where(s => s.Length > 1).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every word of the text, folded and stemmed as the corpus index stems it.</summary>
    public static HashSet<string> Stems(string text) =>
        CorpusText.Tokens(text).Select(t => t.Token).ToHashSet(StringComparer.Ordinal);

    /// <summary>True when the text holds one of the query's content words (same stem).</summary>
    public static bool SharesContentWord(string query, string text)
    {
        var words = ContentStems(query);
        return words.Count > 0 && Stems(text).Overlaps(words);
    }

    /// <summary>
    /// The tone a relationship note states first: +1 warm, -1 cold, 0 neutral or unknown. A note leads with its
    /// stance ("On good terms with Ada; …"); an older note is only its event, whose verb then sets the tone.
    /// </summary>
    public static int NoteTone(string note)
    {
        var lead = note.Split([';', '.'], 2)[0];
        if (ColdWords().IsMatch(lead))
        {
            return -1;
        }

        return WarmWords().IsMatch(lead) ? 1 : 0;
    }

    /// <summary>The direction of the event a note tells of: -1 for a downvote, +1 for an upvote, 0 otherwise.</summary>
    public static int NoteEventDirection(string note) =>
        note.Contains("downvoted", StringComparison.Ordinal) ? -1 : note.Contains("upvoted", StringComparison.Ordinal) ? 1 : 0;

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"\b(downvoted|wary|at odds|cold|distrust|annoyed|clash)", RegexOptions.IgnoreCase)]
    private static partial Regex ColdWords();

    [GeneratedRegex(@"\b(upvoted|follows? |answered|replied|good terms|warm|like|friendly|trust|glad)", RegexOptions.IgnoreCase)]
    private static partial Regex WarmWords();
}
