using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BotSociety.Core.Simulation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BotSociety.Core.Tests;

/// <summary>
/// Per-bot scripted answers for <see cref="CallbackChatClient"/>, and a record of which bots the model was asked for.
/// A bot with nothing scripted rests; a summary prompt gets <see cref="Summary"/>.
/// </summary>
internal sealed class ScriptedModel
{
    public const string Rest = """{"action":"rest","reason":"nothing to add"}""";
    public const string Summary = "I spent the stretch reading and looking things up.";

    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> answers = new();

    /// <summary>Bot names of heartbeat prompts, in the order the model was asked.</summary>
    public ConcurrentQueue<string> Asked { get; } = new();

    /// <summary>Bot names of summary (memory compression) prompts.</summary>
    public ConcurrentQueue<string> AskedToSummarize { get; } = new();

    /// <summary>When set, a summary prompt throws this instead of answering.</summary>
    public Exception? SummaryFailure { get; set; }

    public Action<IServiceCollection> Services => TestSociety.WithModel(Answer);

    public void Say(string bot, string json) => answers.GetOrAdd(bot, _ => new ConcurrentQueue<string>()).Enqueue(json);

    private string Answer(CallbackChatClient.Call call)
    {
        if (call.Prompt.Contains(PromptBuilder.SummaryTaskHeading, StringComparison.Ordinal))
        {
            AskedToSummarize.Enqueue(call.BotName);
            return SummaryFailure is { } failure ? throw failure : Summary;
        }

        Asked.Enqueue(call.BotName);
        return answers.TryGetValue(call.BotName, out var queue) && queue.TryDequeue(out var answer) ? answer : Rest;
    }
}

/// <summary>Small reads the test files share.</summary>
internal static class SocietyReads
{
    public static DateOnly Today(this TestSociety society) => DateOnly.FromDateTime(society.Clock.GetUtcNow().UtcDateTime);

    public static JsonObject DetailsOf(ActivityLogEntry row) => (JsonObject)JsonNode.Parse(row.Details)!;

    public static async Task<List<ActivityLogEntry>> ActivityOfAsync(this TestSociety society, string bot, string? action = null)
    {
        await using var db = society.Db();
        return await db.ActivityLog.AsNoTracking()
            .Where(a => a.Bot!.Name == bot && (action == null || a.Action == action))
            .OrderBy(a => a.Id)
            .ToListAsync();
    }
}
