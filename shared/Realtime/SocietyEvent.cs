using System.Text.Json.Nodes;

namespace BotSociety.Core.Realtime;

/// <summary>
/// An event for live dashboards, with the plan's payload: <c>type</c>, <c>bot_id</c>, <c>bot_name</c>,
/// <c>action</c>, <c>details</c>, <c>tokens_used</c>, <c>timestamp</c>, plus a stable <c>id</c>
/// (for heartbeat events, the activity row's event id).
/// </summary>
public sealed record SocietyEvent(
    string Id,
    string Type,
    int? BotId,
    string? BotName,
    string? Action,
    JsonObject Details,
    int TokensUsed,
    DateTimeOffset Timestamp);

/// <summary>The <c>type</c> values of events.</summary>
public static class SocietyEventTypes
{
    public const string HeartbeatComplete = "heartbeat_complete";
    public const string HeartbeatFailed = "heartbeat_failed";
    public const string UsageCapped = "usage_capped";
    public const string MemoryCompressed = "memory_compressed";
    public const string ConfigUpdated = "config_updated";
    public const string PaceChanged = "pace_changed";
    public const string BotPaused = "bot_paused";
    public const string BotResumed = "bot_resumed";
    public const string AlertRuleChanged = "alert_rule_changed";
    public const string AlertFired = "alert_fired";
}

/// <summary>
/// Sends events to whoever watches, in the order given, and says how many were sent: the first that many, the rest
/// not. Implementations should not throw for a transport failure they can log, and must bound how long a batch takes:
/// <see cref="EventOutbox"/> calls them after a commit, on the tick's path, and tries the rest again later.
/// </summary>
public interface IEventPublisher
{
    Task<int> PublishAsync(IReadOnlyList<SocietyEvent> events, CancellationToken cancellationToken);
}
