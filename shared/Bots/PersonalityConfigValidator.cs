using System.Collections.Frozen;
using System.Text.RegularExpressions;
using BotSociety.Core.Data;
using BotSociety.Core.Llm;

namespace BotSociety.Core.Bots;

/// <summary>One invalid field of a configuration, named by its JSON path (for example <c>behavior.skepticism</c>).</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>
/// The rules a personality config must meet, shared by the YAML loader and the config API (BotConfigService),
/// so a file and a request are held to the same standard. The bounds are one table, <see cref="Rules"/>, which the
/// API document states too (functions/OpenApi/ApiRules.cs).
/// </summary>
public static class PersonalityConfigValidator
{
    public const int MaxTextLength = 2000;
    public const int MaxListItems = 20;
    public const int MaxItemLength = 200;
    public const int MinTokens = 16;
    public const int MaxTokensLimit = 8192;

    /// <summary>Not empty and not only whitespace (.NET's <c>\s</c> is <see cref="char.IsWhiteSpace(char)"/>).</summary>
    private const string NotBlank = @"\S";

    private static readonly FieldRule Trait = FieldRule.Between(PersonaVocabulary.TraitMin, PersonaVocabulary.TraitMax);
    private static readonly FieldRule ListItem = new() { MinLength = 1, MaxLength = MaxItemLength, Pattern = NotBlank };

    /// <summary>The bounds <see cref="Validate"/> checks, keyed by the JSON path each error names.</summary>
    public static IReadOnlyDictionary<string, FieldRule> Rules { get; } = new Dictionary<string, FieldRule>(StringComparer.Ordinal)
    {
        ["personality.bio"] = new() { MaxLength = MaxTextLength },
        ["personality.traits"] = new() { MaxItems = MaxListItems, Items = ListItem },
        ["personality.communication_style"] = FieldRule.Choice(PersonaVocabulary.CommunicationStyles),
        ["personality.interests"] = new() { MinItems = 1, MaxItems = MaxListItems, Items = ListItem },
        ["personality.quirks"] = new() { MaxItems = MaxListItems, Items = ListItem },
        ["behavior.creativity_level"] = Trait,
        ["behavior.leadership_tendency"] = Trait,
        ["behavior.skepticism"] = Trait,
        ["behavior.aggression"] = Trait,
        ["behavior.shyness"] = Trait,
        ["behavior.engagement_style"] = FieldRule.Choice(PersonaVocabulary.EngagementStyles),
        ["model.provider"] = FieldRule.Choice(ModelProviders.Known),
        ["model.model"] = new() { MinLength = 1, Pattern = NotBlank },
        ["model.temperature"] = FieldRule.Between(0, 1),
        ["model.max_tokens"] = FieldRule.Between(MinTokens, MaxTokensLimit),
        ["model.fallback_model"] = new() { MinLength = 1, MaxLength = MaxItemLength, Pattern = NotBlank },
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Every broken rule of <paramref name="config"/>. With <paramref name="unavailable"/> (the API passes the model
    /// catalog's check), a provider that cannot be used now, such as one with no key, is an error on <c>model.provider</c>.
    /// <paramref name="rules"/> replaces <see cref="Rules"/> (tests change a bound with it).
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(
        PersonalityConfig config, Func<string, string?>? unavailable = null, IReadOnlyDictionary<string, FieldRule>? rules = null)
    {
        rules ??= Rules;
        var errors = new List<FieldError>();
        var p = config.Personality;
        var bio = rules["personality.bio"];
        if (p.Bio.Length > bio.MaxLength)
        {
            errors.Add(new("personality.bio", $"must be at most {bio.MaxLength} characters"));
        }

        CheckChoice(errors, rules, "personality.communication_style", p.CommunicationStyle);
        CheckList(errors, rules, "personality.traits", p.Traits);
        CheckList(errors, rules, "personality.interests", p.Interests);
        CheckList(errors, rules, "personality.quirks", p.Quirks);

        var b = config.Behavior;
        CheckTrait(errors, rules, "behavior.creativity_level", b.CreativityLevel);
        CheckTrait(errors, rules, "behavior.leadership_tendency", b.LeadershipTendency);
        CheckTrait(errors, rules, "behavior.skepticism", b.Skepticism);
        CheckTrait(errors, rules, "behavior.aggression", b.Aggression);
        CheckTrait(errors, rules, "behavior.shyness", b.Shyness);
        CheckChoice(errors, rules, "behavior.engagement_style", b.EngagementStyle);

        var m = config.Model;
        if (CheckChoice(errors, rules, "model.provider", m.Provider) && unavailable?.Invoke(m.Provider) is { } problem)
        {
            errors.Add(new("model.provider", $"'{m.Provider}' {problem}"));
        }

        var fallbackRule = rules["model.fallback_model"];
        if (m.FallbackModel is { } fallback && !Fits(fallback, fallbackRule))
        {
            errors.Add(new("model.fallback_model", $"must be a model id of {fallbackRule.MinLength ?? 0} to {fallbackRule.MaxLength} characters, or null for none"));
        }

        var modelRule = rules["model.model"];
        if (m.Model is null || !Fits(m.Model, modelRule))
        {
            errors.Add(new("model.model", string.IsNullOrWhiteSpace(m.Model) ? "is required" : $"must be at most {modelRule.MaxLength} characters"));
        }

        var (lowest, highest) = Range(rules["model.temperature"]);
        if (double.IsNaN(m.Temperature))
        {
            errors.Add(new("model.temperature", $"is required (a number from {lowest:0.0} to {highest:0.0})"));
        }
        else if (!rules["model.temperature"].InRange(m.Temperature))
        {
            errors.Add(new("model.temperature", $"is {m.Temperature}; it must be between {lowest:0.0} and {highest:0.0}"));
        }

        var maxTokens = rules["model.max_tokens"];
        if (!maxTokens.InRange(m.MaxTokens))
        {
            var (least, most) = Range(maxTokens);
            errors.Add(new("model.max_tokens", $"is {m.MaxTokens}; it must be between {least} and {most}"));
        }

        return errors;
    }

    private static (double Minimum, double Maximum) Range(FieldRule rule) =>
        (rule.Minimum ?? double.NegativeInfinity, rule.Maximum ?? double.PositiveInfinity);

    /// <summary>A text within the rule's lengths that matches its pattern.</summary>
    private static bool Fits(string text, FieldRule rule) =>
        !(text.Length < rule.MinLength) && !(text.Length > rule.MaxLength) && (rule.Pattern is not { } pattern || Regex.IsMatch(text, pattern));

    /// <summary>False, with the error, when <paramref name="value"/> is not one of the rule's choices.</summary>
    private static bool CheckChoice(List<FieldError> errors, IReadOnlyDictionary<string, FieldRule> rules, string field, string value)
    {
        var rule = rules[field];
        if (rule.Allows(value))
        {
            return true;
        }

        errors.Add(new(field, $"is '{value}'; it must be one of {string.Join(", ", rule.OneOf!)}"));
        return false;
    }

    private static void CheckTrait(List<FieldError> errors, IReadOnlyDictionary<string, FieldRule> rules, string field, int value)
    {
        var rule = rules[field];
        if (!rule.InRange(value))
        {
            var (least, most) = Range(rule);
            errors.Add(new(field, value == int.MinValue
                ? $"is required (a number from {least} to {most})"
                : $"is {value}; it must be between {least} and {most}"));
        }
    }

    private static void CheckList(List<FieldError> errors, IReadOnlyDictionary<string, FieldRule> rules, string field, IReadOnlyList<string> items)
    {
        var rule = rules[field];
        if (items.Count < rule.MinItems)
        {
            errors.Add(new(field, rule.MinItems == 1 ? "needs at least one entry" : $"needs at least {rule.MinItems} entries"));
        }

        if (items.Count > rule.MaxItems)
        {
            errors.Add(new(field, $"has {items.Count} entries; at most {rule.MaxItems} are allowed"));
        }

        if (rule.Items is not { } itemRule)
        {
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null || !Fits(items[i], itemRule))
            {
                errors.Add(new($"{field}[{i}]", $"must be {itemRule.MinLength ?? 0} to {itemRule.MaxLength} characters"));
            }
        }
    }
}
