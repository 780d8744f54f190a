using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace BotSociety.Core.Llm;

/// <summary>
/// Counts tokens with a real BPE vocabulary (o200k_base, shipped in a NuGet package), so the simulator's
/// usage figures are the size a real model would bill for the same text, not a guess from characters.
/// </summary>
public sealed class TokenCounter
{
    private const int CacheLimit = 100_000;
    private readonly Tokenizer tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");
    private readonly ConcurrentDictionary<string, int> lineCounts = new(StringComparer.Ordinal);

    /// <summary>
    /// The exact token count of <paramref name="text"/>. Prompts repeat most of their lines (a persona, the
    /// tick's feed), so the text is counted line by line with a cache. That is exact: o200k's pre-tokenizer
    /// never joins a newline to a following non-space character, so such a boundary is always a token
    /// boundary and the counts add up (a test holds this against counting the whole text).
    /// </summary>
    public int Count(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var total = 0;
        var start = 0;
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (text[i] == '\n' && !char.IsWhiteSpace(text[i + 1]))
            {
                total += CountChunk(text.Substring(start, i + 1 - start));
                start = i + 1;
            }
        }

        return total + CountChunk(text[start..]);
    }

    /// <summary>The count of the whole text in one pass, without the cache.</summary>
    public int CountWhole(string text) => string.IsNullOrEmpty(text) ? 0 : tokenizer.CountTokens(text);

    private int CountChunk(string chunk)
    {
        if (lineCounts.TryGetValue(chunk, out var count))
        {
            return count;
        }

        count = tokenizer.CountTokens(chunk);

        // A crude bound: when the cache is full, start again rather than track recency on every lookup.
        if (lineCounts.Count >= CacheLimit)
        {
            lineCounts.Clear();
        }

        lineCounts[chunk] = count;
        return count;
    }
}
