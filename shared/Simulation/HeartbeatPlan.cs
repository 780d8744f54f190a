namespace BotSociety.Core.Simulation;

/// <summary>What a bot's model answered on one heartbeat, before anything is written.</summary>
public sealed record HeartbeatPlan(
    HeartbeatContext Context,
    long Seed,
    string? ModelId,
    BotAction? Action,
    string? Failure,
    string? FailureStage,
    int InputTokens,
    int OutputTokens,
    TimeSpan PromptTime,
    TimeSpan ModelTime);

/// <summary>How one heartbeat ended, with where its time went (engine time excludes the model).</summary>
public sealed record HeartbeatOutcome(int BotId, string Action, bool Succeeded, TimeSpan EngineTime, TimeSpan ModelTime);

/// <summary>What one tick did.</summary>
public sealed record TickReport(long Tick, int Due, int Acted, int Failed, int Capped, bool Skipped, IReadOnlyList<HeartbeatOutcome> Outcomes)
{
    public static TickReport Nothing(long tick, bool skipped = false) => new(tick, 0, 0, 0, 0, skipped, []);
}
