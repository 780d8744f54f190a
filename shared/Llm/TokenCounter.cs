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
    private readonly ConcurrentDictionary<string, int> chunkCounts;
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> chunkCountsBySpan;
    private int entries;

    public TokenCounter()
    {
        chunkCounts = new(StringComparer.Ordinal);

        // A chunk is looked up as a slice of the prompt: most are found, and a substring each was most of a hit's cost.
        chunkCountsBySpan = chunkCounts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// The exact token count of <paramref name="text"/>. Prompts repeat most of their text (a persona, the tick's feed),
    /// so the text is counted in chunks with a cache, cut only where o200k's pre-tokenizer always ends a piece; BPE
    /// never merges across pieces, so the counts add up (tests hold this against counting the whole text). The cuts:
    /// after a newline that a non-space character other than a slash follows (a punctuation piece takes newlines and
    /// slashes after it, so ".\n/" is one piece; nothing else joins them), and before a colon that an ASCII letter
    /// precedes (a letter ends its piece unless a letter, a mark or an apostrophe follows). The second cut
    /// splits a feed line before its quoted text, which never changes, from its head, where votes and replies change
    /// the counts shown: the tail is then counted once, not again on every heartbeat that shows it with a new score.
    /// </summary>
    public int Count(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var total = 0;
        var start = 0;
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if ((text[i - 1] == '\n' && !char.IsWhiteSpace(c) && c != '/') || (c == ':' && char.IsAsciiLetter(text[i - 1])))
            {
                total += CountChunk(text.AsSpan(start, i - start));
                start = i;
            }
        }

        return total + CountChunk(text.AsSpan(start));
    }

    /// <summary>The count of the whole text in one pass, without the cache.</summary>
    public int CountWhole(string text) => string.IsNullOrEmpty(text) ? 0 : tokenizer.CountTokens(text);

    private int CountChunk(ReadOnlySpan<char> chunk)
    {
        if (chunkCountsBySpan.TryGetValue(chunk, out var count))
        {
            return count;
        }

        count = tokenizer.CountTokens(chunk);

        // A crude bound: when the cache is full, start again rather than track recency on every lookup. The entries are
        // counted here, not asked of the dictionary: its Count takes every lock it has, and with many bots planning at
        // once that serialised their misses.
        if (Volatile.Read(ref entries) >= CacheLimit)
        {
            chunkCounts.Clear();
            Volatile.Write(ref entries, 0);
        }

        if (chunkCountsBySpan.TryAdd(chunk, count))
        {
            Interlocked.Increment(ref entries);
        }

        return count;
    }
}
