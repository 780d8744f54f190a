using System.Text;
using System.Text.RegularExpressions;

namespace BotSociety.Core.Search;

/// <summary>
/// The corpus as both databases' searches see it: tokens as SQLite FTS5's <c>porter unicode61</c> tokenizer makes them
/// (runs of letters and digits, folded to lower case, diacritics removed, Porter-stemmed), and the snippet shown with
/// a result. With
/// one tokenizer and one snippet for both, SQLite and PostgreSQL give the same answers to the same query.
/// </summary>
internal static partial class CorpusText
{
    /// <summary>Tokens of a snippet, as FTS5's snippet() uses for the body (its fourth column).</summary>
    public const int SnippetTokens = 24;

    /// <summary>The text's tokens, each with where it stands in the text.</summary>
    public static List<(string Token, int Start, int Length)> Tokens(string text)
    {
        var tokens = new List<(string, int, int)>();
        foreach (Match match in Word().Matches(text))
        {
            tokens.Add((PorterStemmer.Stem(Fold(match.Value)), match.Index, match.Length));
        }

        return tokens;
    }

    /// <summary>
    /// The window of <see cref="SnippetTokens"/> body tokens with the most matches (a term seen for the first time
    /// counts most), centred on them as FTS5 centres its snippets, with an ellipsis where the body goes on.
    /// </summary>
    public static string Snippet(string body, IReadOnlyList<string> words)
    {
        var terms = Stems(words);
        var tokens = Tokens(body);
        if (tokens.Count == 0)
        {
            return "";
        }

        var hits = new List<(int Index, int Term)>();
        for (var i = 0; i < tokens.Count; i++)
        {
            for (var t = 0; t < terms.Count; t++)
            {
                if (tokens[i].Token.StartsWith(terms[t], StringComparison.Ordinal))
                {
                    hits.Add((i, t));
                    break;
                }
            }
        }

        var bestStart = 0;
        var bestScore = -1;
        foreach (var (index, _) in hits)
        {
            var seen = new bool[terms.Count];
            int score = 0, first = -1, last = -1;
            foreach (var (other, term) in hits.Where(h => h.Index >= index && h.Index < index + SnippetTokens))
            {
                score += seen[term] ? 1 : 1000;
                seen[term] = true;
                first = first < 0 ? other : first;
                last = other + 1;
            }

            var start = Math.Max(0, Math.Min(first - ((SnippetTokens - (last - first)) / 2), tokens.Count - SnippetTokens));
            if (score > bestScore)
            {
                (bestScore, bestStart) = (score, start);
            }
        }

        var end = Math.Min(tokens.Count, bestStart + SnippetTokens);
        var from = bestStart == 0 ? 0 : tokens[bestStart].Start;
        var to = end == tokens.Count ? body.Length : tokens[end - 1].Start + tokens[end - 1].Length;
        var text = new StringBuilder();
        if (bestStart > 0)
        {
            text.Append('…');
        }

        text.Append(body.AsSpan(from, to - from).Trim());
        if (end < tokens.Count)
        {
            text.Append('…');
        }

        return text.ToString();
    }

    /// <summary>A query's words as FTS5 reads a phrase of them: stemmed, then matched as token prefixes.</summary>
    public static IReadOnlyList<string> Stems(IReadOnlyList<string> words) => [.. words.Select(PorterStemmer.Stem)];

    /// <summary>
    /// Lower case without diacritics, as unicode61 folds. The app runs with invariant globalization, where .NET does not
    /// decompose characters, so the Latin letters with diacritics are mapped here (the corpus has no others).
    /// </summary>
    internal static string Fold(string token)
    {
        var lower = token.ToLowerInvariant();
        if (lower.All(char.IsAscii))
        {
            return lower;
        }

        var folded = new StringBuilder(lower.Length);
        foreach (var c in lower)
        {
            var plain = Latin.IndexOf(c, StringComparison.Ordinal);
            folded.Append(plain < 0 ? c : Plain[plain]);
        }

        return folded.ToString();
    }

    private const string Latin = "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿ";
    private const string Plain = "aaaaaaceeeeiiiinoooooouuuuyy";

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
