using BotSociety.Core.Search;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Llm;

/// <summary>
/// Blanks every configured secret (model and search keys) out of a text before it is logged, stored or answered.
/// Failure reasons quote providers' error messages, and some providers echo the key they were given.
/// </summary>
public sealed class SecretRedactor(IOptions<ModelsOptions> models, IOptions<SearchOptions> search)
{
    public const string Mask = "[redacted]";

    public string Redact(string text)
    {
        foreach (var secret in Secrets())
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    private IEnumerable<string> Secrets()
    {
        // Very short values would blank ordinary words; a real key is never this short.
        foreach (var value in new[] { models.Value.Anthropic.ApiKey, models.Value.OpenAI.ApiKey, search.Value.ApiKey })
        {
            if (value is { Length: >= 8 })
            {
                yield return value;
            }
        }
    }
}
