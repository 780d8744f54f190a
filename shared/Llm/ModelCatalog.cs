using BotSociety.Core.Usage;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Llm;

/// <summary>The providers and models an operator can choose (GET /api/models), with prices and whether a key is set.</summary>
public sealed record ModelCatalogView(IReadOnlyList<ProviderView> Providers);

/// <summary>
/// One provider. <c>available</c> is false when it cannot be chosen, and <c>unavailable_reason</c> says why (no key).
/// <c>endpoint</c> is where it is called; a key never appears, only <c>key_configured</c>.
/// </summary>
public sealed record ProviderView(
    string Id, string Label, bool Simulated, bool Local, bool RequiresKey, bool KeyConfigured, bool Available, string? UnavailableReason,
    string? Endpoint, IReadOnlyList<ModelView> Models)
{
    /// <summary>Whether the provider's endpoint answered a probe (<see cref="ProviderProbe"/>); null when not probed (simulated, or not available).</summary>
    public bool? Reachable { get; init; }

    /// <summary>Why it is unreachable, in words; null when it answered or was not probed.</summary>
    public string? Reachability { get; init; }
}

/// <summary>One model and its price per million tokens; <c>price_known</c> is false (and the prices null) when the table has no entry.</summary>
public sealed record ModelView(
    string Id, bool PriceKnown, double? InputPerMillionUsd, double? OutputPerMillionUsd, double? CachedInputPerMillionUsd,
    string? PriceEffectiveDate, string? PriceSource);

/// <summary>What can be chosen, from the settings and the price table.</summary>
public sealed class ModelCatalog(IOptions<ModelsOptions> models, IOptions<PricingOptions> pricing, ModelCost cost)
{
    private static readonly string[] OllamaDefaults = ["llama3.1", "llama3", "qwen2.5", "mistral"];

    /// <summary>Why <paramref name="provider"/> cannot be used, or null when it can.</summary>
    public string? Unavailable(string provider) => Unavailable(models.Value, provider);

    internal static string? Unavailable(ModelsOptions options, string provider) => provider switch
    {
        ModelProviders.Offline or ModelProviders.Ollama => null,
        ModelProviders.Anthropic when string.IsNullOrWhiteSpace(options.Anthropic.ApiKey) =>
            "has no key: set Models:Anthropic:ApiKey (or ANTHROPIC_API_KEY) to use it",
        ModelProviders.OpenAI when string.IsNullOrWhiteSpace(options.OpenAI.ApiKey) && !options.OpenAI.Local =>
            "has no key: set Models:OpenAI:ApiKey (or OPENAI_API_KEY), or Models:OpenAI:Local for a server that takes none",
        ModelProviders.Anthropic or ModelProviders.OpenAI => null,
        _ => $"is not a provider; choose one of {string.Join(", ", ModelProviders.Known)}",
    };

    public ModelCatalogView Describe()
    {
        var o = models.Value;
        return new ModelCatalogView(
        [
            Provider(ModelProviders.Offline, "Offline simulator", null, false, [ModelProviders.OfflineModel]),
            Provider(ModelProviders.Anthropic, "Anthropic", o.Anthropic.BaseUrl, true, o.Anthropic.Models),
            Provider(ModelProviders.OpenAI, "OpenAI-compatible", o.OpenAI.Endpoint, !o.OpenAI.Local, o.OpenAI.Models),
            Provider(ModelProviders.Ollama, "Ollama", o.Ollama.Endpoint, false, o.Ollama.Models.Count > 0 ? o.Ollama.Models : OllamaDefaults),
        ]);
    }

    private ProviderView Provider(string id, string label, string? endpoint, bool requiresKey, IEnumerable<string> configured)
    {
        var problem = Unavailable(id);
        var keyConfigured = id switch
        {
            ModelProviders.Anthropic => !string.IsNullOrWhiteSpace(models.Value.Anthropic.ApiKey),
            ModelProviders.OpenAI => !string.IsNullOrWhiteSpace(models.Value.OpenAI.ApiKey),
            _ => false,
        };

        // The models the operator listed, then every model the price table knows for the provider.
        var priced = pricing.Value.Providers.TryGetValue(id, out var table) ? table.Keys.Order(StringComparer.Ordinal) : Enumerable.Empty<string>();
        var ids = configured.Concat(priced).Distinct(StringComparer.Ordinal).ToList();
        return new ProviderView(id, label, ModelProviders.IsSimulated(id), cost.IsLocal(id), requiresKey, keyConfigured, problem is null,
            problem is null ? null : $"model.provider '{id}' {problem}", endpoint, [.. ids.Select(m => Model(id, m))]);
    }

    private ModelView Model(string provider, string model) => cost.Find(provider, model) is { } match
        ? new ModelView(model, true, match.Price.InputPerMillionUsd, match.Price.OutputPerMillionUsd,
            match.Price.CachedInputPerMillionUsd ?? match.Price.InputPerMillionUsd, match.Price.EffectiveDate, match.Price.Source)
        : new ModelView(model, false, null, null, null, null, null);
}
