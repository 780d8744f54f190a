using System.ComponentModel;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Data.Dialects;
using BotSociety.Core.Llm;
using BotSociety.Core.Memory;
using BotSociety.Core.Simulation;
using BotSociety.Core.Traces;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Interview;

/// <summary>The body of <c>POST /api/bots/{bot_id}/interview</c>.</summary>
public sealed record InterviewRequest([property: Description("What to ask the bot; 1 to 2,000 characters.")] string Question);

/// <summary>The bot's answer, what model gave it, and what it cost.</summary>
public sealed record InterviewAnswer(
    [property: Description("The bot's answer, in persona.")] string Answer,
    [property: Description("The model that answered.")] string Model,
    [property: Description("Input and output tokens of the call; counted in the bot's usage and caps.")] int TokensUsed,
    [property: Description("Estimated cost in US dollars; 0 when the model has no price.")] double CostUsd,
    [property: Description("True when the offline simulator answered, not a language model.")] bool Simulated);

/// <summary>How an interview ended.</summary>
public enum InterviewStatus
{
    Answered,
    Invalid,
    NoSuchBot,
    Refused,
    ModelFailed,
}

public sealed record InterviewResult(InterviewStatus Status, InterviewAnswer? Answer = null, IReadOnlyList<FieldError>? Errors = null, string? Detail = null);

/// <summary>
/// Asks a bot a question through its own model, with its persona, warm memories, the threads it joined and its recent
/// activity in the prompt. An interview is not society activity: no post, no reputation, no memory, no activity row.
/// Its tokens and cost go into the bot's daily usage (so they count against its caps) and into the usage report as
/// their own kind (<see cref="TraceKinds.Interview"/>), and its trace is kept with the others.
/// </summary>
public sealed class InterviewService(
    IDbContextFactory<BotSocietyDb> dbFactory,
    SqlDialect dialect,
    IChatClientProvider models,
    ModelCost pricing,
    TraceFactory traces,
    TimeProvider time,
    IOptions<UsageOptions> usageOptions,
    IOptions<MemoryOptions> memoryOptions,
    IOptions<SocietyOptions> societyOptions)
{
    public const int MaxQuestionChars = 2000;
    private const int ThreadsInPrompt = 8;
    private const int RecentInPrompt = 10;
    private const int RelationshipsEachWay = 5;
    private static readonly string[] Fields = ["question"];

    public async Task<InterviewResult> AskAsync(int botId, Stream body, CancellationToken ct)
    {
        var request = await JsonBody.ReadAsync(body, Fields, ct);
        var question = request.RequiredString("question")?.Trim();
        if (request.IsValid && string.IsNullOrEmpty(question))
        {
            return new(InterviewStatus.Invalid, Errors: [new("question", "must not be empty")]);
        }

        if (request.IsValid && question!.Length > MaxQuestionChars)
        {
            return new(InterviewStatus.Invalid, Errors: [new("question", $"must be at most {MaxQuestionChars} characters; got {question.Length}")]);
        }

        if (!request.IsValid)
        {
            return new(InterviewStatus.Invalid, Errors: request.Errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var bot = await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == botId, ct);
        if (bot is null)
        {
            return new(InterviewStatus.NoSuchBot, Detail: $"There is no bot {botId}.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        if (bot.IsPaused)
        {
            return new(InterviewStatus.Refused, Detail: $"{bot.Name} is paused; resume it to interview it.");
        }

        var usage = await db.DailyUsage.AsNoTracking().FirstOrDefaultAsync(u => u.BotId == botId && u.Day == today, ct);
        if (UsageCaps.Evaluate(bot, usage, usageOptions.Value) is { IsCapped: true } capped)
        {
            return new(InterviewStatus.Refused, Detail: $"{bot.Name} is capped for today ({capped.Reason}); it answers again after midnight UTC or when its cap is raised.");
        }

        var messages = InterviewPrompt.Build(bot, await MemoriesAsync(db, botId, ct), await ThreadsAsync(db, botId, ct), await RecentAsync(db, botId, ct), question!);
        return await CallAsync(bot, messages, now, ct);
    }

    private async Task<InterviewResult> CallAsync(Bot bot, IList<ChatMessage> messages, DateTime now, CancellationToken ct)
    {
        var model = bot.PersonalityConfig.Model;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await models.AskAsync(model, messages, societyOptions.Value.ModelTimeoutSeconds, seed: null, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var failure = ex is OperationCanceledException
                ? new ModelFailure(ModelFailureKinds.Timeout, $"the model did not answer within {societyOptions.Value.ModelTimeoutSeconds} s")
                : ModelFailure.FromException(ex, model.Provider, traces.Redactor);
            await RecordAsync(bot.Id, traces.Create(TraceKinds.Interview, bot.Id, model.Provider, model.Model, new ModelCall([.. messages], null, 0),
                default, System.Diagnostics.Stopwatch.GetElapsedTime(started), 0, failure.Kind, failure.Reason, now), default, 0, failed: true, ct);
            return new(InterviewStatus.ModelFailed, Detail: $"{bot.Name}'s model ({model.Provider}) did not answer: {failure.Reason}.");
        }

        var latency = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var tokens = TokenUsage.Of(response);
        var modelName = response.ModelId ?? model.Model;
        var cost = pricing.EstimateUsd(model.Provider, modelName, tokens);
        var trace = traces.Create(TraceKinds.Interview, bot.Id, model.Provider, modelName, new ModelCall([.. messages], response.Text, 0), tokens, latency, cost, null, null, now);
        await RecordAsync(bot.Id, trace, tokens, cost, failed: false, ct);
        return new(InterviewStatus.Answered, new InterviewAnswer(
            response.Text.Trim(), modelName, tokens.InputTokens + tokens.OutputTokens, cost ?? 0, ModelProviders.IsSimulated(model.Provider)));
    }

    /// <summary>Usage, model usage and the trace in one transaction, beside the heartbeats that write the same rows.</summary>
    private async Task RecordAsync(int botId, ModelTrace trace, TokenUsage tokens, double? cost, bool failed, CancellationToken ct)
    {
        // Not cancelled with the request: the model was paid for, so its cost must be counted.
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        await dialect.LockWritersAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), CancellationToken.None);
        var day = DateOnly.FromDateTime(trace.CreatedAt);
        await using (var writer = new HeartbeatWriter(db.Database.GetDbConnection(), transaction.GetDbTransaction()))
        {
            if (!failed)
            {
                await writer.AddUsageAsync(botId, day, tokens, cost, CancellationToken.None);
            }

            await writer.InsertTraceAsync(trace, CancellationToken.None);
            await writer.AddModelUsageAsync(day, trace.Provider, trace.Model, TraceKinds.Interview, failed, tokens, cost, CancellationToken.None);
        }

        await transaction.CommitAsync(CancellationToken.None);
    }

    /// <summary>
    /// The most important memories, as a heartbeat sees them, and the warmest and coldest relationships besides: "whom do
    /// you trust" is the question an interview asks most, and the answer must not depend on which relationship mattered lately.
    /// </summary>
    private async Task<List<WarmMemory>> MemoriesAsync(BotSocietyDb db, int botId, CancellationToken ct)
    {
        var mine = db.WarmMemories.AsNoTracking().Where(m => m.BotId == botId);
        var top = await mine.OrderByDescending(m => m.Importance).ThenByDescending(m => m.Id).Take(memoryOptions.Value.PromptItems).ToListAsync(ct);
        var relationships = mine.Where(m => m.Category == MemoryCategory.Relationship);
        var warm = await relationships.OrderByDescending(m => m.Sentiment).ThenBy(m => m.Id).Take(RelationshipsEachWay).ToListAsync(ct);
        var cold = await relationships.OrderBy(m => m.Sentiment).ThenBy(m => m.Id).Take(RelationshipsEachWay).ToListAsync(ct);
        return [.. top.Concat(warm).Concat(cold).DistinctBy(m => m.Id)];
    }

    /// <summary>The threads the bot started or replied in, latest first.</summary>
    private static async Task<List<JoinedThread>> ThreadsAsync(BotSocietyDb db, int botId, CancellationToken ct)
    {
        var replied = await db.Posts.AsNoTracking().Where(p => p.BotId == botId)
            .GroupBy(p => p.ThreadId).Select(g => new { ThreadId = g.Key, Replies = g.Count(), Last = g.Max(p => p.Id) })
            .OrderByDescending(g => g.Last).Take(ThreadsInPrompt).ToListAsync(ct);
        var started = await db.Threads.AsNoTracking().Where(t => t.BotId == botId).OrderByDescending(t => t.Id).Take(ThreadsInPrompt).Select(t => t.Id).ToListAsync(ct);
        var ids = started.Concat(replied.Select(r => r.ThreadId)).Distinct().ToList();
        var threads = await db.Threads.AsNoTracking().Where(t => ids.Contains(t.Id)).Select(t => new { t.Id, t.Topic, t.Title, t.BotId }).ToListAsync(ct);
        return [.. threads
            .Select(t => new JoinedThread(t.Id, t.Topic, t.Title, t.BotId == botId, replied.FirstOrDefault(r => r.ThreadId == t.Id)?.Replies ?? 0))
            .OrderByDescending(t => t.Id).Take(ThreadsInPrompt)];
    }

    private static async Task<List<string>> RecentAsync(BotSocietyDb db, int botId, CancellationToken ct)
    {
        var rows = await db.ActivityLog.AsNoTracking()
            .Where(a => a.BotId == botId && ActivityActions.ModelActions.Contains(a.Action))
            .OrderByDescending(a => a.Id).Take(RecentInPrompt).ToListAsync(ct);
        return [.. rows.Select(MemoryCompressor.FormatLine)];
    }
}
