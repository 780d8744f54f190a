using BotSociety.Core.Bots;

namespace BotSociety.Core.Alerts;

/// <summary>
/// An alert rule: a condition over one bot (or any bot) and, optionally, a webhook that is told when it fires. A rule
/// fires once per episode and re-arms when its condition clears (<see cref="AlertEpisode"/>).
/// </summary>
public sealed class AlertRule
{
    public int Id { get; set; }

    /// <summary>One of <see cref="AlertKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>The bot watched; null means every bot.</summary>
    public int? BotId { get; set; }
    public Bot? Bot { get; set; }

    /// <summary><c>heartbeat_failed</c>: failures within the window.</summary>
    public int? Count { get; set; }

    /// <summary><c>heartbeat_failed</c> and <c>reputation_drop</c>: the window, in minutes.</summary>
    public int? WindowMinutes { get; set; }

    /// <summary><c>spend</c>: the share of the daily cap (tokens or cost), in percent.</summary>
    public double? Percent { get; set; }

    /// <summary><c>reputation_drop</c>: points lost within the window.</summary>
    public double? Points { get; set; }

    /// <summary>An absolute http or https address told of each firing; null for none.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The HMAC-SHA256 key of the webhook's signature; never returned by a read.</summary>
    public string? Secret { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>The kinds of alert rule.</summary>
public static class AlertKinds
{
    public const string HeartbeatFailed = "heartbeat_failed";
    public const string UsageCapped = "usage_capped";
    public const string Spend = "spend";
    public const string ReputationDrop = "reputation_drop";
    public const string EventsLost = "events_lost";

    public static readonly IReadOnlyList<string> All = [HeartbeatFailed, UsageCapped, Spend, ReputationDrop, EventsLost];
}

/// <summary>
/// A rule's episode for one bot (bot 0 for a society-wide condition such as <c>events_lost</c>): firing from when its
/// condition first held until it clears. Kept so a rule fires once per episode, on every instance.
/// </summary>
public sealed class AlertEpisode
{
    public int AlertId { get; set; }
    public AlertRule? Alert { get; set; }
    public int BotId { get; set; }
    public bool Firing { get; set; }
    public DateTime? FiredAt { get; set; }
    public DateTime? ClearedAt { get; set; }

    /// <summary>The <c>alert_fired</c> activity row of the current (or last) episode.</summary>
    public long? ActivityId { get; set; }

    /// <summary>What the condition measured at the firing, in words (shown on the banner).</summary>
    public string? Message { get; set; }

    /// <summary>
    /// The measure the condition compares against, where it needs one kept: for <c>events_lost</c>, the society's lost
    /// count when the rule last fired (or was first evaluated), so only new losses fire it again.
    /// </summary>
    public double? Baseline { get; set; }
}

/// <summary>
/// One webhook call of a firing: written with the firing (so a crash loses none) and sent after the commit, retried
/// with backoff; the row then says how it went.
/// </summary>
public sealed class AlertDelivery
{
    public long Id { get; set; }
    public int AlertId { get; set; }
    public AlertRule? Alert { get; set; }
    public long? ActivityId { get; set; }

    /// <summary>The exact JSON body sent (the signature is over these bytes).</summary>
    public required string Body { get; set; }

    /// <summary><c>pending</c>, <c>delivered</c> or <c>failed</c>.</summary>
    public required string Status { get; set; }
    public int? StatusCode { get; set; }
    public int Attempts { get; set; }
    public string? Error { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}

/// <summary>The <c>status</c> values of a delivery.</summary>
public static class DeliveryStatuses
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}
