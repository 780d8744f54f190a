using BotSociety.Core.Llm;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Usage;

/// <summary>The tokens of one model answer as the provider reported them.</summary>
/// <param name="InputTokens">All prompt tokens, cached ones included (for Anthropic, cache reads and writes included).</param>
/// <param name="OutputTokens">The answer's tokens.</param>
/// <param name="CachedInputTokens">The part of <paramref name="InputTokens"/> read from the provider's prompt cache.</param>
public readonly record struct TokenUsage(int InputTokens, int OutputTokens, int CachedInputTokens)
{
    public static TokenUsage operator +(TokenUsage a, TokenUsage b) =>
        new(a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens, a.CachedInputTokens + b.CachedInputTokens);

    /// <summary>
    /// Tokens as billed. Anthropic's input count as the adapter reports it already holds cache reads and writes, so the
    /// cached count is a part of it, never added on top; OpenAI's prompt tokens hold the cached ones the same way.
    /// </summary>
    public static TokenUsage Of(Microsoft.Extensions.AI.ChatResponse response)
    {
        var u = response.Usage;
        var input = (int)(u?.InputTokenCount ?? 0);
        var cached = (int)Math.Min(u?.CachedInputTokenCount ?? 0, input);
        return new TokenUsage(input, (int)(u?.OutputTokenCount ?? 0), cached);
    }
}

/// <summary>A price found for a model: the table's entry and the prefix it was found under (none for a local model, free).</summary>
public sealed record PriceMatch(string Prefix, ModelPrice Price);

/// <summary>
/// Estimated cost of model calls from the price table. Local models (the simulator, Ollama, an OpenAI-compatible
/// server marked local) cost exactly 0. A paid model with no entry has an unknown cost: null, never a guess.
/// </summary>
public sealed class ModelCost(IOptions<PricingOptions> pricing, IOptions<ModelsOptions> models)
{
    private static readonly ModelPrice Free = new() { InputPerMillionUsd = 0, OutputPerMillionUsd = 0, CachedInputPerMillionUsd = 0, EffectiveDate = "2026-01-01", Source = "runs on this machine" };

    /// <summary>The price of <paramref name="model"/>: the longest table prefix of the id, so dated ids find their family's entry.</summary>
    public PriceMatch? Find(string provider, string model)
    {
        if (IsLocal(provider))
        {
            return new PriceMatch("", Free);
        }

        if (!pricing.Value.Providers.TryGetValue(provider, out var table))
        {
            return null;
        }

        var best = table.Where(e => model.StartsWith(e.Key, StringComparison.OrdinalIgnoreCase)).OrderByDescending(e => e.Key.Length).FirstOrDefault();
        return best.Value is null ? null : new PriceMatch(best.Key, best.Value);
    }

    /// <summary>US dollars for <paramref name="usage"/>, or null when the model's price is unknown.</summary>
    public double? EstimateUsd(string provider, string model, TokenUsage usage)
    {
        if (Find(provider, model) is not { } match)
        {
            return null;
        }

        var p = match.Price;
        var cached = Math.Clamp(usage.CachedInputTokens, 0, usage.InputTokens);
        var fresh = usage.InputTokens - cached;
        return ((fresh * (p.InputPerMillionUsd ?? 0)) + (cached * (p.CachedInputPerMillionUsd ?? p.InputPerMillionUsd ?? 0))
            + (usage.OutputTokens * (p.OutputPerMillionUsd ?? 0))) / 1_000_000;
    }

    /// <summary>True when the provider runs on the operator's machines and bills nothing.</summary>
    public bool IsLocal(string provider) =>
        ModelProviders.IsSimulated(provider) || provider == ModelProviders.Ollama || (provider == ModelProviders.OpenAI && models.Value.OpenAI.Local);
}
