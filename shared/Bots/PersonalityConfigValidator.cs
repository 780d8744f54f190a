using BotSociety.Core.Llm;

namespace BotSociety.Core.Bots;

/// <summary>One invalid field of a configuration, named by its JSON path (for example <c>behavior.skepticism</c>).</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>
/// The rules a personality config must meet, shared by the YAML loader and the config API (BotConfigService),
/// so a file and a request are held to the same standard.
/// </summary>
public static class PersonalityConfigValidator
{
    public const int MaxTextLength = 2000;
    public const int MaxListItems = 20;
    public const int MaxTokensLimit = 8192;

    /// <summary>
    /// Every broken rule of <paramref name="config"/>. With <paramref name="unavailable"/> (the API passes the model
    /// catalog's check), a provider that cannot be used now, such as one with no key, is an error on <c>model.provider</c>.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(PersonalityConfig config, Func<string, string?>? unavailable = null)
    {
        var errors = new List<FieldError>();
        var p = config.Personality;
        if (p.Bio.Length > MaxTextLength)
        {
            errors.Add(new("personality.bio", $"must be at most {MaxTextLength} characters"));
        }

        if (!PersonaVocabulary.CommunicationStyles.Contains(p.CommunicationStyle))
        {
            errors.Add(new("personality.communication_style",
                $"is '{p.CommunicationStyle}'; it must be one of {string.Join(", ", PersonaVocabulary.CommunicationStyles)}"));
        }

        CheckList(errors, "personality.traits", p.Traits, required: false);
        CheckList(errors, "personality.interests", p.Interests, required: true);
        CheckList(errors, "personality.quirks", p.Quirks, required: false);

        var b = config.Behavior;
        CheckTrait(errors, "behavior.creativity_level", b.CreativityLevel);
        CheckTrait(errors, "behavior.leadership_tendency", b.LeadershipTendency);
        CheckTrait(errors, "behavior.skepticism", b.Skepticism);
        CheckTrait(errors, "behavior.aggression", b.Aggression);
        CheckTrait(errors, "behavior.shyness", b.Shyness);
        if (!PersonaVocabulary.EngagementStyles.Contains(b.EngagementStyle))
        {
            errors.Add(new("behavior.engagement_style",
                $"is '{b.EngagementStyle}'; it must be one of {string.Join(", ", PersonaVocabulary.EngagementStyles)}"));
        }

        var m = config.Model;
        if (!ModelProviders.Known.Contains(m.Provider))
        {
            errors.Add(new("model.provider", $"is '{m.Provider}'; it must be one of {string.Join(", ", ModelProviders.Known)}"));
        }
        else if (unavailable?.Invoke(m.Provider) is { } problem)
        {
            errors.Add(new("model.provider", $"'{m.Provider}' {problem}"));
        }

        if (m.FallbackModel is { } fallback && (string.IsNullOrWhiteSpace(fallback) || fallback.Length > 200))
        {
            errors.Add(new("model.fallback_model", "must be a model id of 1 to 200 characters, or null for none"));
        }

        if (string.IsNullOrWhiteSpace(m.Model))
        {
            errors.Add(new("model.model", "is required"));
        }

        if (double.IsNaN(m.Temperature))
        {
            errors.Add(new("model.temperature", "is required (a number from 0.0 to 1.0)"));
        }
        else if (m.Temperature is < 0 or > 1)
        {
            errors.Add(new("model.temperature", $"is {m.Temperature}; it must be between 0.0 and 1.0"));
        }

        if (m.MaxTokens is < 16 or > MaxTokensLimit)
        {
            errors.Add(new("model.max_tokens", $"is {m.MaxTokens}; it must be between 16 and {MaxTokensLimit}"));
        }

        return errors;
    }

    private static void CheckTrait(List<FieldError> errors, string field, int value)
    {
        if (value is < PersonaVocabulary.TraitMin or > PersonaVocabulary.TraitMax)
        {
            errors.Add(new(field, value == int.MinValue
                ? "is required (a number from 0 to 100)"
                : $"is {value}; it must be between {PersonaVocabulary.TraitMin} and {PersonaVocabulary.TraitMax}"));
        }
    }

    private static void CheckList(List<FieldError> errors, string field, IReadOnlyList<string> items, bool required)
    {
        if (required && items.Count == 0)
        {
            errors.Add(new(field, "needs at least one entry"));
        }

        if (items.Count > MaxListItems)
        {
            errors.Add(new(field, $"has {items.Count} entries; at most {MaxListItems} are allowed"));
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(items[i]) || items[i].Length > 200)
            {
                errors.Add(new($"{field}[{i}]", "must be 1 to 200 characters"));
            }
        }
    }
}
