using BotSociety.Core.Bots;
using BotSociety.Core.Llm;

namespace BotSociety.Core.Usage;

/// <summary>Estimated cost of a model call in US dollars.</summary>
public static class ModelCost
{
    /// <summary>
    /// The simulator runs on this machine and bills nothing, so its cost is exactly zero; tokens are still
    /// counted against the token cap. A pricing table for paid providers arrives with them (issue 8).
    /// </summary>
    public static double EstimateUsd(ModelSection model, int inputTokens, int outputTokens) =>
        ModelProviders.IsSimulated(model.Provider) ? 0.0
        : throw new NotSupportedException($"No price is known for provider '{model.Provider}'.");
}
