using System.Collections.Concurrent;
using System.Diagnostics;
using BotSociety.Core.Data;
using BotSociety.Core.Llm;
using BotSociety.Core.Search;
using BotSociety.Core.Usage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Simulation;

/// <summary>
/// Plans one heartbeat before anything is written: weighs the budget, builds the prompt, asks the model for the action
/// as structured output, reads it defensively (one repair attempt), prices the call and runs a search action's search.
/// Never throws for a model failure: it becomes the plan's failure, with a reason an operator can read.
/// </summary>
public sealed partial class HeartbeatPlanner(
    IChatClientProvider models,
    ISearchProvider search,
    ModelCost pricing,
    TokenCounter tokens,
    SecretRedactor redactor,
    IOptions<SocietyOptions> societyOptions,
    IOptions<UsageOptions> usageOptions,
    ILogger<HeartbeatPlanner> logger)
{
    public const int SearchResults = 3;

    /// <summary>The action's JSON schema, as the providers' structured output takes it.</summary>
    internal static readonly ChatResponseFormatJson ActionFormat = ChatResponseFormat.ForJsonSchema<BotAction>(
        SocietyJson.Options, "bot_action", "The one action the bot takes on this heartbeat.");

    private readonly ConcurrentDictionary<(string, string), bool> unpricedWarned = new();

    public async Task<HeartbeatPlan> PlanAsync(HeartbeatContext context, CapStatus caps, long societySeed, CancellationToken ct)
    {
        var bot = context.Bot;
        var seed = SeedMixer.For(societySeed, bot.Id, bot.HeartbeatCount);
        var started = Stopwatch.GetTimestamp();
        var messages = PromptBuilder.BuildHeartbeat(context);
        var promptTime = Stopwatch.GetElapsedTime(started);
        var model = bot.PersonalityConfig.Model;

        var budget = BudgetNote.For(caps, usageOptions.Value.NearCapThreshold, model.FallbackModel);
        switch (budget.State)
        {
            case BudgetNote.Fallback:
                model = model with { Model = model.FallbackModel! };
                break;
            case BudgetNote.NearCap when RestsNow(caps.Fraction, seed):
            {
                var reason = $"resting: {BudgetNote.Percent(caps.Fraction)} of today's budget";
                return new HeartbeatPlan(context, seed, null, new BotAction { Action = ActivityActions.Rest, Reason = reason }, null, null, 0, 0, promptTime, TimeSpan.Zero)
                {
                    CostUsd = 0,
                    Budget = budget with { State = BudgetNote.Resting, Reason = reason },
                };
            }
        }

        HeartbeatPlan Fail(string stage, ModelFailure failure, string? modelId = null, TokenUsage usage = default, TimeSpan modelTime = default, ModelCall? call = null) =>
            new(context, seed, modelId ?? model.Model, null, failure.Reason, stage, usage.InputTokens, usage.OutputTokens, promptTime, modelTime)
            {
                Call = call,
                Provider = model.Provider,
                CachedInputTokens = usage.CachedInputTokens,
                CostUsd = Price(model.Provider, modelId ?? model.Model, usage),
                FailureKind = failure.Kind,
                Budget = budget.State == BudgetNote.Ok ? null : budget,
            };

        // The estimate: the prompt is counted here, so a call starts only if its prompt fits under the cap and the
        // day's spend can pass the cap by at most the answer's max_tokens.
        if (Overshoots(caps, model, messages) is { } capped)
        {
            return new HeartbeatPlan(context, seed, model.Model, null, null, null, 0, 0, promptTime, TimeSpan.Zero) { CappedBy = capped, Provider = model.Provider };
        }

        IChatClient client;
        try
        {
            client = models.GetClient(model);
        }
        catch (NotSupportedException ex)
        {
            return Fail("model", new ModelFailure(ModelFailureKinds.Unavailable, ex.Message));
        }

        var options = ModelRequests.OptionsFor(model, seed);
        options.ResponseFormat = ActionFormat;
        var timeoutSeconds = societyOptions.Value.ModelTimeoutSeconds;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        var modelStarted = Stopwatch.GetTimestamp();
        var usage = default(TokenUsage);
        string? modelId = null;
        IList<ChatMessage> sent = messages;
        string? completion = null;
        var retries = 0;
        var httpRetries = ModelRetries.Begin();
        ModelCall Call() => new([.. sent], completion, retries + httpRetries.Value);
        try
        {
            var response = await client.GetResponseAsync(messages, options, timeout.Token);
            usage += TokenUsage.Of(response);
            modelId = response.ModelId ?? model.Model;
            completion = response.Text;
            if (RefusalOf(response) is { } refusal)
            {
                return Fail("model", new ModelFailure(ModelFailureKinds.Refusal, $"the model refused: {redactor.Redact(refusal)}"), modelId, usage, Stopwatch.GetElapsedTime(modelStarted), Call());
            }

            var (action, error) = ActionParser.Parse(response.Text);
            if (action is null)
            {
                // Weak models break formats; one repair attempt, with the error, before the heartbeat counts as failed.
                LogRepair(bot.Id, model.Provider, error!);
                var repair = new List<ChatMessage>(messages)
                {
                    new(ChatRole.Assistant, response.Text),
                    new(ChatRole.User, $"That answer could not be used: {error}. Answer again with exactly one JSON object in one of the shapes above, and nothing else."),
                };
                (sent, retries, completion) = (repair, 1, null);
                response = await client.GetResponseAsync(repair, options, timeout.Token);
                usage += TokenUsage.Of(response);
                completion = response.Text;
                (action, error) = ActionParser.Parse(response.Text);
                if (action is null)
                {
                    return Fail("parse", new ModelFailure(ModelFailureKinds.Malformed, $"{redactor.Redact(error!)} (after one repair attempt)"),
                        modelId, usage, Stopwatch.GetElapsedTime(modelStarted), Call());
                }
            }

            var modelTime = Stopwatch.GetElapsedTime(modelStarted);
            return new HeartbeatPlan(context, seed, modelId, action, null, null, usage.InputTokens, usage.OutputTokens, promptTime, modelTime)
            {
                Provider = model.Provider,
                CachedInputTokens = usage.CachedInputTokens,
                CostUsd = Price(model.Provider, modelId, usage),
                Budget = budget.State == BudgetNote.Ok ? null : budget,
                Search = await SearchAsync(action, bot.Id, ct),
                Call = Call(),
            };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Fail("model", new ModelFailure(ModelFailureKinds.Timeout, $"the model did not answer within {timeoutSeconds} s"),
                modelId, usage, Stopwatch.GetElapsedTime(modelStarted), Call());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Any provider error (network, auth, rate limit) fails this bot's heartbeat only; the others go on.
            var failure = ModelFailure.FromException(ex, model.Provider, redactor);
            LogModelError(bot.Id, model.Provider, failure.Kind, failure.Reason, ex.GetType().Name);
            return Fail("model", failure, modelId, usage, Stopwatch.GetElapsedTime(modelStarted), Call());
        }
    }

    /// <summary>
    /// A search action's results, fetched now so no web request runs inside the tick's write transaction. A failure
    /// here leaves the search to the applier, which asks again (the web provider falls back to the corpus by itself).
    /// </summary>
    private async Task<SearchAnswer?> SearchAsync(BotAction action, int botId, CancellationToken ct)
    {
        if (action.Action != ActivityActions.Search || string.IsNullOrWhiteSpace(action.Query))
        {
            return null;
        }

        try
        {
            return await search.AnswerAsync(action.Query.Trim(), SearchResults, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSearchFailed(ex, botId);
            return null;
        }
    }

    /// <summary>Half the heartbeats rest at the threshold, rising to all of them at the cap; seeded, so runs repeat.</summary>
    private bool RestsNow(double fraction, long seed)
    {
        var threshold = usageOptions.Value.NearCapThreshold;
        var chance = threshold >= 1 ? 1 : 0.5 + (0.5 * Math.Clamp((fraction - threshold) / (1 - threshold), 0, 1));
        return SeedMixer.Unit(seed ^ 0x5EED_BEEF) < chance;
    }

    private CapStatus? Overshoots(CapStatus caps, Bots.ModelSection model, IList<ChatMessage> messages)
    {
        // Counting tokens is a tokenizer pass over the prompt, on every heartbeat. A token is at least one UTF-8
        // byte, so the byte count bounds it: only a prompt whose bound could reach a cap is counted exactly.
        var bound = messages.Sum(m => System.Text.Encoding.UTF8.GetByteCount(m.Text));
        if (Passes(caps, model, bound) is null)
        {
            return null;
        }

        var prompt = 0;
        foreach (var message in messages)
        {
            prompt += tokens.Count(message.Text);
        }

        return Passes(caps, model, prompt);
    }

    /// <summary>The cap a prompt of <paramref name="prompt"/> tokens would pass, with the reason; null when it fits.</summary>
    private CapStatus? Passes(CapStatus caps, Bots.ModelSection model, int prompt)
    {
        if (caps.TokensToday + prompt >= caps.TokenCap)
        {
            return caps with { Reason = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Daily token cap would be passed: {caps.TokensToday:N0} used + about {prompt:N0} for the next prompt ≥ {caps.TokenCap:N0}") };
        }

        if (pricing.EstimateUsd(model.Provider, model.Model, new TokenUsage(prompt, 0, 0)) is { } cost && cost > 0 && caps.CostTodayUsd + cost >= caps.CostCapUsd)
        {
            return caps with
            {
                Reason = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Daily cost cap would be passed: ${caps.CostTodayUsd:0.0000} used + about ${cost:0.0000} for the next prompt ≥ ${caps.CostCapUsd:0.00}"),
            };
        }

        return null;
    }

    private double? Price(string provider, string model, TokenUsage usage)
    {
        if (usage.InputTokens + usage.OutputTokens == 0)
        {
            // Nothing was billed (no call, or one that failed before an answer): the cost is known to be zero.
            return 0;
        }

        var cost = pricing.EstimateUsd(provider, model, usage);
        if (cost is null && unpricedWarned.TryAdd((provider, model), true))
        {
            LogUnpriced(provider, model);
        }

        return cost;
    }

    /// <summary>The refusal text when the provider declined to answer (a content filter or an explicit refusal).</summary>
    private static string? RefusalOf(ChatResponse response)
    {
        var reason = response.FinishReason;
        if (reason == ChatFinishReason.ContentFilter || string.Equals(reason?.Value, "refusal", StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrWhiteSpace(response.Text) ? $"finish reason {reason?.Value}" : TextCut.Cut(response.Text, 200);
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot {BotId}'s model ({Provider}) failed: {Kind}: {Reason} ({ExceptionType})")]
    private partial void LogModelError(int botId, string provider, string kind, string reason, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot {BotId}'s search failed before the tick; it is tried again as the action is applied")]
    private partial void LogSearchFailed(Exception exception, int botId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot {BotId}'s model ({Provider}) answered unusably ({Error}); asking once more")]
    private partial void LogRepair(int botId, string provider, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No price for {Provider} model {Model} in the Pricing table: its cost is recorded as unknown until an entry Pricing:Providers:<provider>:<model> is added")]
    private partial void LogUnpriced(string provider, string model);
}
