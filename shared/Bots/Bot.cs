namespace BotSociety.Core.Bots;

/// <summary>A member of the society: its persona, its standing, its budget and its place in the schedule.</summary>
public sealed class Bot
{
    public int Id { get; set; }

    /// <summary>Display name, unique in the society (for example "Ada").</summary>
    public required string Name { get; set; }

    /// <summary>The persona file this bot was created from; "reset to defaults" reads it again.</summary>
    public required string PersonaKey { get; set; }

    public required PersonalityConfig PersonalityConfig { get; set; }

    /// <summary>Raised by one on every config change; the config API's ETag, so a stale edit is refused.</summary>
    public int ConfigVersion { get; set; }

    public double ReputationScore { get; set; }

    /// <summary>Per-bot override; null means the global default.</summary>
    public long? DailyTokenCap { get; set; }

    /// <summary>Per-bot override; null means the global default.</summary>
    public double? DailyCostCapUsd { get; set; }

    public bool IsPaused { get; set; }

    /// <summary>Why the bot is paused when the society paused it (a provider refused its key); null when the operator did, or it runs.</summary>
    public string? PausedReason { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime NextHeartbeatAt { get; set; }

    public DateTime? LastHeartbeatAt { get; set; }

    /// <summary>Heartbeats taken so far; with the society seed it seeds the next one, which keeps runs repeatable.</summary>
    public long HeartbeatCount { get; set; }

    /// <summary>The UTC day a <c>usage_capped</c> activity was last written, so a capped bot logs it once a day.</summary>
    public DateOnly? CappedOn { get; set; }

    /// <summary>Heartbeats that failed in a row (0 after any that did not); three or more make the bot <c>failing</c>.</summary>
    public int FailedHeartbeats { get; set; }

    /// <summary>When the current run of failed heartbeats began; null when the last heartbeat did not fail.</summary>
    public DateTime? FailingSince { get; set; }

    /// <summary>The kind of the last failure (<see cref="Llm.ModelFailureKinds"/>, or the stage that failed).</summary>
    public string? LastFailureKind { get; set; }

    /// <summary>
    /// The claim of the batch that is to run this bot's due heartbeat (<c>instance/claim-id</c>), or null. A heartbeat
    /// is applied only under its claim, and applying it clears the claim, so a bot never acts twice for one due time.
    /// </summary>
    public string? ClaimedBy { get; set; }

    /// <summary>When the claim lapses: an instance that died holding it loses it then, and another takes the bot.</summary>
    public DateTime? ClaimedUntil { get; set; }
}
