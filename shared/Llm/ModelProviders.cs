namespace BotSociety.Core.Llm;

/// <summary>The model providers a bot's <c>model.provider</c> may name.</summary>
public static class ModelProviders
{
    /// <summary>The deterministic, persona-driven simulator: no key, no network.</summary>
    public const string Offline = "offline";

    public const string OfflineModel = "offline-simulator";

    /// <summary>
    /// Providers that can answer today. Anthropic, OpenAI-compatible and Ollama providers are planned
    /// (issue 8); until they exist, naming them is a validation error rather than a heartbeat that always fails.
    /// </summary>
    public static readonly IReadOnlyList<string> Known = [Offline];

    /// <summary>True when answers come from the simulator, which must be labelled wherever a model name is shown.</summary>
    public static bool IsSimulated(string provider) => provider == Offline;
}
