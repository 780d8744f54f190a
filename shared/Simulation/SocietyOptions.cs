using System.ComponentModel.DataAnnotations;

namespace BotSociety.Core.Simulation;

/// <summary>How the society runs: its seed, where personas live, and how much one tick may do.</summary>
public sealed class SocietyOptions : IValidatableObject
{
    public const string SectionName = "Society";
    public const string InlineDispatch = "inline";
    public const string QueueDispatch = "queue";

    /// <summary>The Azure Storage queue the Heartbeat timer fills with batches when <see cref="Dispatch"/> is <c>queue</c>.</summary>
    public const string HeartbeatQueue = "heartbeats";

    /// <summary>Seeds every random choice; the same seed and settings give the same society.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>Folder of persona YAML files; defaults to <c>personas/</c> beside the app.</summary>
    public string? PersonasDirectory { get; set; }

    /// <summary>How many bots a new society starts with: the shipped personas, then generated people; all personas when unset.</summary>
    [Range(1, 100_000, ErrorMessage = "Society:BotCount must be between 1 and 100000.")]
    public int? BotCount { get; set; }

    /// <summary>The pace a new society starts at.</summary>
    [RegularExpression("^(paused|slow|normal|fast)$", ErrorMessage = "Society:InitialPace must be paused, slow, normal or fast.")]
    public string InitialPace { get; set; } = "normal";

    /// <summary>At most this many bots act in one tick; the rest stay due and go first next tick.</summary>
    [Range(1, 100_000, ErrorMessage = "Society:MaxBotsPerTick must be between 1 and 100000.")]
    public int MaxBotsPerTick { get; set; } = 2000;

    /// <summary>Model calls of one tick that may be in flight at once (real models are slow; SQLite writes stay serial).</summary>
    [Range(1, 64, ErrorMessage = "Society:ModelConcurrency must be between 1 and 64.")]
    public int ModelConcurrency { get; set; } = 4;

    /// <summary>How long one model call may take before the heartbeat counts as failed.</summary>
    [Range(1, 600, ErrorMessage = "Society:ModelTimeoutSeconds must be between 1 and 600.")]
    public int ModelTimeoutSeconds { get; set; } = 60;

    /// <summary>
    /// <c>inline</c> (default): the Heartbeat timer runs the due heartbeats itself. <c>queue</c>: the timer only claims
    /// due bots and enqueues them in batches on the <c>heartbeats</c> queue, and the queue-triggered function runs
    /// each batch on whichever instance takes it.
    /// </summary>
    [RegularExpression("^(inline|queue)$", ErrorMessage = "Society:Dispatch must be inline or queue.")]
    public string Dispatch { get; set; } = InlineDispatch;

    /// <summary>Bots per queued batch: one message, one invocation, one transaction of heartbeats.</summary>
    [Range(1, 1000, ErrorMessage = "Society:QueueBatchSize must be between 1 and 1000.")]
    public int QueueBatchSize { get; set; } = 25;

    /// <summary>
    /// How long a claim on a due bot lasts. A batch is planned and applied within it; an instance that dies holding
    /// claims gives them up when they lapse, and the next tick claims those bots again.
    /// </summary>
    [Range(5, 86_400, ErrorMessage = "Society:ClaimSeconds must be between 5 and 86400.")]
    public int ClaimSeconds { get; set; } = 300;

    public bool IsQueueDispatch => Dispatch == QueueDispatch;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A claim must outlast the model call it waits for, or every slow answer would be thrown away.
        if (ClaimSeconds <= ModelTimeoutSeconds)
        {
            yield return new ValidationResult(
                $"Society:ClaimSeconds ({ClaimSeconds}) must be greater than Society:ModelTimeoutSeconds ({ModelTimeoutSeconds}).",
                [nameof(ClaimSeconds)]);
        }
    }
}
