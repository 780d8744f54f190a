using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BotSociety.Core.Interview;

namespace BotSociety.Core.Llm.Offline;

/// <summary>
/// The offline model's interview answer, built only from what the prompt says the bot remembers (the threads it
/// joined, whom it trusts and why) and said in its persona's voice. No randomness: the same memory and question
/// give the same answer.
/// </summary>
internal static partial class OfflineInterview
{
    public static bool IsInterview(string user) => user.Contains(InterviewPrompt.TaskHeading, StringComparison.Ordinal);

    public static string Answer(string user)
    {
        var lines = user.Split('\n');
        string Field(string label) => lines.FirstOrDefault(l => l.StartsWith(label, StringComparison.Ordinal))?[label.Length..].Trim() ?? "";
        var style = Field("Communication style: ");
        var catchphrase = Field("Catchphrase: ");
        var interests = Field("Interests: ");
        var question = Field(InterviewPrompt.QuestionLabel);
        var people = lines.Select(l => Relationship().Match(l)).Where(m => m.Success)
            .Select(m => (Name: m.Groups["name"].Value, Sentiment: double.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture), Why: Why(m.Groups["note"].Value)))
            .ToList();
        var threads = lines.Select(l => Thread().Match(l)).Where(m => m.Success)
            .Select(m => (Topic: m.Groups["topic"].Value, Part: m.Groups["part"].Value, Title: m.Groups["title"].Value))
            .ToList();

        var q = question.ToLowerInvariant();
        var aboutPeople = Asks(q, "trust", "friend", "like", "who", "ally", "enem", "rival", "people", "member", "bot");
        var aboutThreads = Asks(q, "thread", "discuss", "talk", "post", "topic", "join", "wrote", "write", "doing", "lately", "recent");
        if (!aboutPeople && !aboutThreads)
        {
            aboutPeople = aboutThreads = true;
        }

        var answer = new StringBuilder(Opening(style));
        if (aboutThreads)
        {
            answer.Append(' ').Append(ThreadsSentence(threads, interests));
        }

        if (aboutPeople)
        {
            answer.Append(' ').Append(PeopleSentence(people));
        }

        if (catchphrase.Length > 0)
        {
            answer.Append(' ').Append(catchphrase);
        }

        return answer.ToString();
    }

    private static bool Asks(string question, params string[] words) => words.Any(w => question.Contains(w, StringComparison.Ordinal));

    private static string Opening(string style) => style switch
    {
        "academic" => "To answer precisely, from my own record:",
        "blunt" => "Straight answer:",
        "formal" => "Thank you for the question.",
        "poetic" => "Let me tell it the way it lives in my memory.",
        "terse" => "Briefly.",
        "warm" => "Oh, I'm glad you asked!",
        "witty" => "Ah, the hard-hitting questions.",
        _ => "Honestly?",
    };

    private static string ThreadsSentence(List<(string Topic, string Part, string Title)> threads, string interests)
    {
        if (threads.Count == 0)
        {
            return interests.Length == 0
                ? "I haven't joined any threads yet."
                : $"I haven't joined any threads yet, though I care about {interests}.";
        }

        var started = threads.Where(t => t.Part.StartsWith("started", StringComparison.Ordinal)).Select(t => $"\"{t.Title}\"").Take(2).ToList();
        var replied = threads.Where(t => !t.Part.StartsWith("started", StringComparison.Ordinal)).Select(t => $"\"{t.Title}\"").Take(3).ToList();
        var topic = threads.GroupBy(t => t.Topic).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var parts = new List<string>();
        if (started.Count > 0)
        {
            parts.Add($"I started {JoinAnd(started)}");
        }

        if (replied.Count > 0)
        {
            parts.Add($"I weighed in on {JoinAnd(replied)}");
        }

        return $"{string.Join(", and ", parts)}; mostly it comes back to {topic}.";
    }

    private static string PeopleSentence(List<(string Name, double Sentiment, string Why)> people)
    {
        var trusted = people.Where(p => p.Sentiment > 0).OrderByDescending(p => p.Sentiment).ThenBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault();
        var wary = people.Where(p => p.Sentiment < 0).OrderBy(p => p.Sentiment).ThenBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault();
        if (trusted.Name is null && wary.Name is null)
        {
            return "I don't know anyone here well enough yet to say whom I trust.";
        }

        var text = new StringBuilder();
        if (trusted.Name is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"I trust {trusted.Name} most, because {trusted.Why}.");
        }

        if (wary.Name is not null)
        {
            text.Append(text.Length > 0 ? " " : "").Append(CultureInfo.InvariantCulture, $"I'm wary of {wary.Name}, since {wary.Why}.");
        }

        return text.ToString();
    }

    /// <summary>The latest event of a relationship note ("On good terms with Ada; lately: Ada upvoted my thread …").</summary>
    private static string Why(string note)
    {
        var at = note.IndexOf("lately: ", StringComparison.Ordinal);
        return (at >= 0 ? note[(at + "lately: ".Length)..] : note).TrimEnd('.', ' ');
    }

    private static string JoinAnd(List<string> items) =>
        items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];

    [GeneratedRegex(@"^- relationship: (?<name>.+?) \(#\d*\) sentiment=(?<s>[+-]?\d+(?:\.\d+)?): (?<note>.*)$")]
    private static partial Regex Relationship();

    [GeneratedRegex("^- thread #\\d+ \\[(?<topic>[^\\]]*)\\] \\((?<part>[^)]*)\\): \"(?<title>.*)\"$")]
    private static partial Regex Thread();
}
