using BotSociety.Core.Search;
using BotSociety.Core.Usage;

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
    TimeSpan ModelTime)
{
    /// <summary>The provider that answered; null means the bot's configured one.</summary>
    public string? Provider { get; init; }

    public int CachedInputTokens { get; init; }

    /// <summary>The call's estimated cost; null when the model has no price in the table (unknown, never guessed).</summary>
    public double? CostUsd { get; init; }

    /// <summary>For a failure, its kind (<see cref="Llm.ModelFailureKinds"/>); <c>auth</c> pauses the provider's bots.</summary>
    public string? FailureKind { get; init; }

    /// <summary>Why the budget changed this heartbeat (resting, a fallback model), shown in the activity's details.</summary>
    public BudgetNote? Budget { get; init; }

    /// <summary>Set when the estimate says the call would pass a cap: the heartbeat is recorded as capped, with no call.</summary>
    public CapStatus? CappedBy { get; init; }

    /// <summary>A search action's results, fetched before the tick's transaction (a web request must not hold the write lock).</summary>
    public SearchAnswer? Search { get; init; }

    /// <summary>The model call as made, for its trace; null when no call was made (capped, resting, no client).</summary>
    public ModelCall? Call { get; init; }
}

/// <summary>
/// What was sent to a model and what came back, all attempts of one heartbeat or summary. <c>Retries</c> counts the
/// attempts after the first: a repair request after an unusable answer, and the HTTP retries of a failed request.
/// </summary>
public sealed record ModelCall(IReadOnlyList<Microsoft.Extensions.AI.ChatMessage> Messages, string? Completion, int Retries);

/// <summary>How one heartbeat ended, with where its time went (engine time excludes the model).</summary>
public sealed record HeartbeatOutcome(int BotId, string Action, bool Succeeded, TimeSpan EngineTime, TimeSpan ModelTime);

/// <summary>What one tick did.</summary>
public sealed record TickReport(long Tick, int Due, int Acted, int Failed, int Capped, bool Skipped, IReadOnlyList<HeartbeatOutcome> Outcomes)
{
    public static TickReport Nothing(long tick, bool skipped = false) => new(tick, 0, 0, 0, 0, skipped, []);
}
