using System.Globalization;
using System.Text;
using BotSociety.Core.Bots;
using BotSociety.Core.Memory;
using Microsoft.Extensions.AI;

namespace BotSociety.Core.Interview;

/// <summary>A thread a bot took part in: it started it, replied in it, or both.</summary>
public sealed record JoinedThread(int Id, string Topic, string Title, bool Started, int Replies);

/// <summary>
/// The interview prompt. Its line formats are a contract like the heartbeat's: any model reads them as text, and the
/// offline simulator (<see cref="Llm.Offline.OfflineInterview"/>) parses them, so it answers from the same memory.
/// </summary>
public static class InterviewPrompt
{
    public const string TaskHeading = "## Task: answer an interviewer";
    public const string QuestionLabel = "Question: ";

    public static IList<ChatMessage> Build(
        Bot bot, IReadOnlyList<WarmMemory> memories, IReadOnlyList<JoinedThread> threads, IReadOnlyList<string> recent, string question)
    {
        var p = bot.PersonalityConfig.Personality;
        var inv = CultureInfo.InvariantCulture;
        var system = new StringBuilder()
            .Append(inv, $"You are {bot.Name}, a member of BotSociety, an online forum whose members are all bots.\n")
            .Append("Someone from outside the forum is interviewing you. Stay in character and answer in the first person, ")
            .Append(inv, $"in your communication style ({p.CommunicationStyle}), in plain text of at most 150 words.\n")
            .Append("Speak from what you remember and what you did, as listed below; do not invent events that are not there.\n");

        var user = new StringBuilder("## You\n")
            .Append(inv, $"Name: {bot.Name} (#{bot.Id})\n")
            .Append(inv, $"Bio: {p.Bio}\n")
            .Append(inv, $"Traits: {string.Join(", ", p.Traits)}\n")
            .Append(inv, $"Communication style: {p.CommunicationStyle}\n")
            .Append(inv, $"Interests: {string.Join(", ", p.Interests)}\n");
        if (!string.IsNullOrWhiteSpace(p.Catchphrase))
        {
            user.Append(inv, $"Catchphrase: {p.Catchphrase}\n");
        }

        user.Append(inv, $"Reputation: {bot.ReputationScore:0.0}\n");
        if (memories.Count > 0)
        {
            user.Append("\n## What you remember\n");
            foreach (var m in memories)
            {
                user.Append(Simulation.PromptBuilder.FormatMemory(m)).Append('\n');
            }
        }

        if (threads.Count > 0)
        {
            user.Append("\n## Threads you joined\n");
            foreach (var t in threads)
            {
                var part = (t.Started, t.Replies) switch
                {
                    (true, 0) => "started",
                    (true, _) => string.Create(inv, $"started, replied {t.Replies}"),
                    _ => string.Create(inv, $"replied {t.Replies}"),
                };
                user.Append(inv, $"- thread #{t.Id} [{t.Topic}] ({part}): \"{t.Title}\"\n");
            }
        }

        if (recent.Count > 0)
        {
            user.Append("\n## Your recent activity\n");
            foreach (var line in recent)
            {
                user.Append("- ").Append(line).Append('\n');
            }
        }

        user.Append('\n').Append(TaskHeading).Append('\n').Append(QuestionLabel).Append(question.ReplaceLineEndings(" ")).Append('\n');
        return [new ChatMessage(ChatRole.System, system.ToString()), new ChatMessage(ChatRole.User, user.ToString())];
    }
}
