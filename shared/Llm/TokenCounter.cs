using Microsoft.ML.Tokenizers;

namespace BotSociety.Core.Llm;

/// <summary>
/// Counts tokens with a real BPE vocabulary (o200k_base, shipped in a NuGet package), so the simulator's
/// usage figures are the size a real model would bill for the same text, not a guess from characters.
/// </summary>
public sealed class TokenCounter
{
    private readonly Tokenizer tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");

    public int Count(string text) => string.IsNullOrEmpty(text) ? 0 : tokenizer.CountTokens(text);
}
