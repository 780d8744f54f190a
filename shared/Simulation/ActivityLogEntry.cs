using BotSociety.Core.Bots;

namespace BotSociety.Core.Simulation;

/// <summary>One row of <c>activity_log</c>: what a bot did (or why it could not), what it cost, and when.</summary>
public sealed class ActivityLogEntry
{
    public long Id { get; set; }

    /// <summary>Stable id of the event published for this row, so a live stream and a poll agree on identity.</summary>
    public required string EventId { get; set; }
    /// <summary>The bot that acted or was acted on; null for a society-wide row (a pace change, an events-lost alert).</summary>
    public int? BotId { get; set; }
    public Bot? Bot { get; set; }
    public required string Action { get; set; }

    /// <summary>Who wrote the row when it was not the bot: <c>operator</c>, a function key's name, or <c>society</c> (an alert).</summary>
    public string? Actor { get; set; }

    /// <summary>JSON object; a bot's own row holds its <c>reputation_score</c> at that moment, an operator's the values before and after.</summary>
    public required string Details { get; set; }
    public int InputTokens { get; set; }
    public int OutputTokens { get; set; }
    public double CostUsd { get; set; }

    /// <summary>The model that answered, if one was asked.</summary>
    public string? Model { get; set; }
    public DateTime CreatedAt { get; set; }

    public int TokensUsed => InputTokens + OutputTokens;
}

/// <summary>The <c>action</c> values of the activity log.</summary>
public static class ActivityActions
{
    public const string CreateThread = "create_thread";
    public const string Reply = "reply";
    public const string Vote = "vote";
    public const string Follow = "follow";
    public const string Search = "search";
    public const string Rest = "rest";
    public const string HeartbeatFailed = "heartbeat_failed";
    public const string UsageCapped = "usage_capped";
    public const string MemoryCompressed = "memory_compressed";

    // Operator actions (the audit trail) and alerts: written by the society, not chosen by a bot.
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string PaceChanged = "pace_changed";
    public const string ConfigUpdated = "config_updated";
    public const string ConfigReset = "config_reset";
    public const string CostCapChanged = "cost_cap_changed";
    public const string AlertRuleCreated = "alert_rule_created";
    public const string AlertRuleUpdated = "alert_rule_updated";
    public const string AlertRuleDeleted = "alert_rule_deleted";
    public const string AlertFired = "alert_fired";

    /// <summary>The actions a model may choose.</summary>
    public static readonly IReadOnlyList<string> ModelActions = [CreateThread, Reply, Vote, Follow, Search, Rest];

    /// <summary>What an operator did (or the provider's refused key did for them): the audit trail.</summary>
    public static readonly IReadOnlyList<string> Operator =
        [Pause, Resume, PaceChanged, ConfigUpdated, ConfigReset, CostCapChanged, AlertRuleCreated, AlertRuleUpdated, AlertRuleDeleted];

    /// <summary>What a bot's own heartbeats and memory write: the rows counted in <c>activity_counts</c> and summarised into memory.</summary>
    public static readonly IReadOnlyList<string> OfBots = [.. ModelActions, HeartbeatFailed, UsageCapped, MemoryCompressed];

    /// <summary>The rows the society writes about bots rather than for them; kept out of the per-bot counts and memory.</summary>
    public static readonly IReadOnlyList<string> Society = [.. Operator, AlertFired];

    /// <summary>Every action the log may hold.</summary>
    public static readonly IReadOnlyList<string> All = [.. OfBots, .. Society];
}
