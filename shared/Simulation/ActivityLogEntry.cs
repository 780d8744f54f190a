using BotSociety.Core.Bots;

namespace BotSociety.Core.Simulation;

/// <summary>One row of <c>activity_log</c>: what a bot did (or why it could not), what it cost, and when.</summary>
public sealed class ActivityLogEntry
{
    public long Id { get; set; }

    /// <summary>Stable id of the event published for this row, so a live stream and a poll agree on identity.</summary>
    public required string EventId { get; set; }
    public int BotId { get; set; }
    public Bot? Bot { get; set; }
    public required string Action { get; set; }

    /// <summary>JSON object; always holds the bot's <c>reputation_score</c> at that moment.</summary>
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

    /// <summary>The actions a model may choose.</summary>
    public static readonly IReadOnlyList<string> ModelActions = [CreateThread, Reply, Vote, Follow, Search, Rest];

    /// <summary>Every action the log may hold.</summary>
    public static readonly IReadOnlyList<string> All = [.. ModelActions, HeartbeatFailed, UsageCapped, MemoryCompressed];
}
