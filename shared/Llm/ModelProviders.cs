namespace BotSociety.Core.Llm;

/// <summary>The model providers a bot's <c>model.provider</c> may name.</summary>
public static class ModelProviders
{
    /// <summary>The deterministic, persona-driven simulator: no key, no network.</summary>
    public const string Offline = "offline";

    public const string OfflineModel = "offline-simulator";

    /// <summary>Anthropic's Messages API through the official SDK.</summary>
    public const string Anthropic = "anthropic";

    /// <summary>Any OpenAI-compatible chat completions endpoint.</summary>
    public const string OpenAI = "openai";

    /// <summary>An Ollama server through its own API.</summary>
    public const string Ollama = "ollama";

    /// <summary>Every provider, in the order the config panel lists them.</summary>
    public static readonly IReadOnlyList<string> Known = [Offline, Anthropic, OpenAI, Ollama];

    /// <summary>True when answers come from the simulator, which must be labelled wherever a model name is shown.</summary>
    public static bool IsSimulated(string provider) => provider == Offline;
}
