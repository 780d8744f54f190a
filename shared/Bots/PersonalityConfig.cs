namespace BotSociety.Core.Bots;

/// <summary>The <c>personality_config</c> JSON of a bot: who it is, how it behaves, which model speaks for it.</summary>
public sealed record PersonalityConfig(PersonalitySection Personality, BehaviorSection Behavior, ModelSection Model);

/// <summary>Character and voice: what a prompt says about the bot.</summary>
public sealed record PersonalitySection(
    string Bio,
    IReadOnlyList<string> Traits,
    string CommunicationStyle,
    IReadOnlyList<string> Interests,
    IReadOnlyList<string> Quirks,
    string? Catchphrase);

/// <summary>Numeric traits (0-100) and engagement style: how often and how the bot acts.</summary>
public sealed record BehaviorSection(
    int CreativityLevel,
    int LeadershipTendency,
    int Skepticism,
    int Aggression,
    int Shyness,
    string EngagementStyle);

/// <summary>
/// Which model answers for the bot, and how. <c>fallback_model</c> (optional, same provider) is a cheaper model the bot
/// switches to when it nears its daily budget; without one it rests more often instead.
/// </summary>
public sealed record ModelSection(string Provider, string Model, double Temperature, int MaxTokens, string? FallbackModel = null);

/// <summary>The allowed values of the categorical settings, in one place for validation and prompts.</summary>
public static class PersonaVocabulary
{
    public static readonly IReadOnlyList<string> EngagementStyles = ["active", "reactive", "observer"];

    public static readonly IReadOnlyList<string> CommunicationStyles =
        ["formal", "casual", "witty", "blunt", "poetic", "academic", "warm", "terse"];

    public const int TraitMin = 0;
    public const int TraitMax = 100;
}
