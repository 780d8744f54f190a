using System.ComponentModel.DataAnnotations;

namespace BotSociety.Core.Llm;

/// <summary>
/// Where each real provider lives and the key it takes. A provider with no key (Anthropic, OpenAI) is listed but
/// cannot be chosen; the offline simulator needs nothing, so a society with no settings at all still runs.
/// </summary>
public sealed class ModelsOptions : IValidatableObject
{
    public const string SectionName = "Models";

    public AnthropicSettings Anthropic { get; set; } = new();

    public OpenAISettings OpenAI { get; set; } = new();

    public OllamaSettings Ollama { get; set; } = new();

    /// <summary>Retries of a failed call (429, 5xx, timeouts of one attempt), each after the server's Retry-After when it sends one.</summary>
    [Range(0, 5, ErrorMessage = "Models:MaxRetries must be between 0 and 5.")]
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first retry's delay when the server names none; later ones double it.</summary>
    [Range(0, 60_000, ErrorMessage = "Models:RetryDelayMilliseconds must be between 0 and 60000.")]
    public int RetryDelayMilliseconds { get; set; } = 1000;

    /// <summary>How long one HTTP attempt may take; the whole call, retries included, is bounded by Society:ModelTimeoutSeconds.</summary>
    [Range(1, 600, ErrorMessage = "Models:AttemptTimeoutSeconds must be between 1 and 600.")]
    public int AttemptTimeoutSeconds { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsHttpUrl(Anthropic.BaseUrl))
        {
            yield return new("Models:Anthropic:BaseUrl must be an absolute http(s) URL such as https://api.anthropic.com.");
        }

        if (!IsHttpUrl(OpenAI.Endpoint) || !OpenAI.Endpoint.TrimEnd('/').EndsWith("/v1", StringComparison.Ordinal))
        {
            yield return new("Models:OpenAI:Endpoint must be an absolute http(s) URL ending in /v1, such as https://api.openai.com/v1.");
        }

        if (!IsHttpUrl(Ollama.Endpoint))
        {
            yield return new("Models:Ollama:Endpoint must be an absolute http(s) URL such as http://localhost:11434.");
        }
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

/// <summary>Anthropic's Messages API. The key may also come from the <c>ANTHROPIC_API_KEY</c> environment variable.</summary>
public sealed class AnthropicSettings
{
    public string? ApiKey { get; set; }

    public string BaseUrl { get; set; } = "https://api.anthropic.com";

    /// <summary>Model ids the config panel offers; any id the API knows may still be typed.</summary>
    public List<string> Models { get; set; } = [];
}

/// <summary>Any OpenAI-compatible endpoint: OpenAI itself, vLLM, LM Studio, Ollama's <c>/v1</c>.</summary>
public sealed class OpenAISettings
{
    /// <summary>The key; may also come from <c>OPENAI_API_KEY</c>. Local servers that take none need <see cref="Local"/>.</summary>
    public string? ApiKey { get; set; }

    public string Endpoint { get; set; } = "https://api.openai.com/v1";

    /// <summary>True for a server on the operator's own hardware (vLLM, LM Studio): it needs no key and its models cost nothing.</summary>
    public bool Local { get; set; }

    public List<string> Models { get; set; } = [];
}

/// <summary>An Ollama server, through its own API (its <c>/v1</c> ignores max tokens). Local: no key, no cost.</summary>
public sealed class OllamaSettings
{
    public string Endpoint { get; set; } = "http://localhost:11434";

    public List<string> Models { get; set; } = [];
}
