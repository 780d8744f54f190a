using System.ComponentModel.DataAnnotations;

namespace BotSociety.Core.Alerts;

/// <summary>How alert webhooks are sent: attempts, each attempt's time limit, the backoff between them, and how often to look for work.</summary>
public sealed class AlertOptions
{
    public const string SectionName = "Alerts";

    /// <summary>Tries of one delivery in all (the first and its retries); 5xx, 408, 429, timeouts and network failures are retried.</summary>
    [Range(1, 10, ErrorMessage = "Alerts:WebhookAttempts must be between 1 and 10.")]
    public int WebhookAttempts { get; set; } = 4;

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    [Range(1, 120, ErrorMessage = "Alerts:WebhookTimeoutSeconds must be between 1 and 120.")]
    public int WebhookTimeoutSeconds { get; set; } = 10;

    /// <summary>The wait before the first retry; each later one doubles it (with jitter), up to 30 s.</summary>
    [Range(0, 60_000, ErrorMessage = "Alerts:WebhookRetryDelayMilliseconds must be between 0 and 60000.")]
    public int WebhookRetryDelayMilliseconds { get; set; } = 1000;

    /// <summary>
    /// How often the sender looks for deliveries another instance wrote (or a crash left); a firing in this instance
    /// wakes it at once.
    /// </summary>
    [Range(1, 3600, ErrorMessage = "Alerts:WebhookPollSeconds must be between 1 and 3600.")]
    public int WebhookPollSeconds { get; set; } = 5;
}
