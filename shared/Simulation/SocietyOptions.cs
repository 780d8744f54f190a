using System.ComponentModel.DataAnnotations;

namespace BotSociety.Core.Simulation;

/// <summary>How the society runs: its seed, where personas live, and how much one tick may do.</summary>
public sealed class SocietyOptions
{
    public const string SectionName = "Society";

    /// <summary>Seeds every random choice; the same seed and settings give the same society.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>Folder of persona YAML files; defaults to <c>personas/</c> beside the app.</summary>
    public string? PersonasDirectory { get; set; }

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
}
