using System.Globalization;
using System.Text.RegularExpressions;

namespace BotSociety.Core.Llm.Offline;

/// <summary>
/// What the simulator reads from a prompt. It reads the text any model would get (the formats of
/// <see cref="Simulation.PromptBuilder"/>), never a side channel, so editing a bot changes what it does.
/// </summary>
internal sealed partial record OfflinePrompt
{
    public string Name { get; init; } = "Someone";
    public int SelfId { get; init; }

    /// <summary>Which heartbeat of the bot this is (the prompt's closing line); the writer walks its sentence pools by it.</summary>
    public long Heartbeat { get; init; }
    public string Style { get; init; } = "casual";
    public IReadOnlyList<string> Interests { get; init; } = [];
    public string? Catchphrase { get; init; }
    public int Creativity { get; init; } = 50;
    public int Leadership { get; init; } = 50;
    public int Skepticism { get; init; } = 50;
    public int Aggression { get; init; } = 50;
    public int Shyness { get; init; } = 50;
    public string Engagement { get; init; } = "active";
    public IReadOnlyDictionary<int, double> Sentiments { get; init; } = new Dictionary<int, double>();
    public IReadOnlyList<string> RememberedInterests { get; init; } = [];
    public IReadOnlyList<(int Id, string Name)> FollowCandidates { get; init; } = [];
    public IReadOnlyList<Item> Threads { get; init; } = [];
    public IReadOnlyList<Item> RepliesToMe { get; init; } = [];
    public IReadOnlyList<Item> FromFollowed { get; init; } = [];
    public bool IsSummaryTask { get; init; }
    public IReadOnlyList<string> ActivityLines { get; init; } = [];

    /// <summary>A thread or post the feed shows.</summary>
    internal sealed record Item(bool IsThread, int Id, int ThreadId, int AuthorId, string AuthorName, string Topic, string Title, int Score, bool Voted, int Replies = 0);

    public static OfflinePrompt Parse(string system, string user)
    {
        if (user.Contains(Simulation.PromptBuilder.SummaryTaskHeading, StringComparison.Ordinal))
        {
            return new OfflinePrompt
            {
                IsSummaryTask = true,
                Name = SummaryName().Match(system) is { Success: true } n ? n.Groups[1].Value : "Someone",
                Style = SummaryStyle().Match(system) is { Success: true } s ? s.Groups[1].Value : "casual",
                ActivityLines = user.Split('\n').Where(l => l.StartsWith("- ", StringComparison.Ordinal)).Select(l => l[2..]).ToList(),
            };
        }

        var section = "";
        var threads = new List<Item>();
        var replies = new List<Item>();
        var followed = new List<Item>();
        var sentiments = new Dictionary<int, double>();
        var remembered = new List<string>();
        var candidates = new List<(int, string)>();
        var prompt = new OfflinePrompt();
        foreach (var raw in user.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = line[3..];
                continue;
            }

            if (Field(line, "Name: ") is { } name && NameLine().Match(name) is { Success: true } nm)
            {
                prompt = prompt with { Name = nm.Groups[1].Value, SelfId = Int(nm.Groups[2].Value) };
            }
            else if (HeartbeatLine().Match(line) is { Success: true } hb)
            {
                prompt = prompt with { Heartbeat = long.Parse(hb.Groups[1].Value, CultureInfo.InvariantCulture) };
            }
            else if (Field(line, "Communication style: ") is { } style)
            {
                prompt = prompt with { Style = style.Trim() };
            }
            else if (Field(line, "Interests: ") is { } interests)
            {
                prompt = prompt with { Interests = interests.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) };
            }
            else if (Field(line, "Catchphrase: ") is { } catchphrase)
            {
                prompt = prompt with { Catchphrase = catchphrase.Trim() };
            }
            else if (Field(line, "Engagement style: ") is { } engagement)
            {
                prompt = prompt with { Engagement = engagement.Trim() };
            }
            else if (line.StartsWith("Behaviour (0-100): ", StringComparison.Ordinal))
            {
                var traits = TraitPair().Matches(line).ToDictionary(m => m.Groups[1].Value, m => Int(m.Groups[2].Value));
                prompt = prompt with
                {
                    Creativity = traits.GetValueOrDefault("creativity_level", 50),
                    Leadership = traits.GetValueOrDefault("leadership_tendency", 50),
                    Skepticism = traits.GetValueOrDefault("skepticism", 50),
                    Aggression = traits.GetValueOrDefault("aggression", 50),
                    Shyness = traits.GetValueOrDefault("shyness", 50),
                };
            }
            else if (RelationshipLine().Match(line) is { Success: true } rel)
            {
                sentiments[Int(rel.Groups[1].Value)] = double.Parse(rel.Groups[2].Value, CultureInfo.InvariantCulture);
            }
            else if (Field(line, "- interest: ") is { } interest)
            {
                remembered.Add(interest.Trim());
            }
            else if (section == "Members you might follow")
            {
                candidates.AddRange(BotRefs().Matches(line).Select(m => (Int(m.Groups[2].Value), m.Groups[1].Value.Trim())));
            }
            else if (ThreadLine().Match(line) is { Success: true } t)
            {
                threads.Add(new Item(true, Int(t.Groups[1].Value), Int(t.Groups[1].Value), Int(t.Groups[3].Value), t.Groups[2].Value,
                    t.Groups[4].Value, t.Groups[8].Value, Int(t.Groups[5].Value), t.Groups[7].Value == "yes", Int(t.Groups[6].Value)));
            }
            else if (PostLine().Match(line) is { Success: true } p)
            {
                var item = new Item(false, Int(p.Groups[1].Value), Int(p.Groups[2].Value), Int(p.Groups[5].Value), p.Groups[4].Value,
                    p.Groups[3].Value, p.Groups[7].Value, 0, p.Groups[6].Value == "yes");
                (section == "Replies to you" ? replies : followed).Add(item);
            }
        }

        return prompt with
        {
            Sentiments = sentiments,
            RememberedInterests = remembered,
            FollowCandidates = candidates,
            Threads = threads,
            RepliesToMe = replies,
            FromFollowed = followed,
        };
    }

    private static string? Field(string line, string prefix) =>
        line.StartsWith(prefix, StringComparison.Ordinal) ? line[prefix.Length..] : null;

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(.+) \(#(\d+)\)$")]
    private static partial Regex NameLine();

    [GeneratedRegex(@"^This is your heartbeat #(\d+)\.$")]
    private static partial Regex HeartbeatLine();

    [GeneratedRegex(@"(\w+)=(\d+)")]
    private static partial Regex TraitPair();

    [GeneratedRegex(@"^- relationship: .+? \(#(\d+)\) sentiment=([+-]?\d+(?:\.\d+)?)")]
    private static partial Regex RelationshipLine();

    [GeneratedRegex(@"([^,]+?) \(#(\d+)\)")]
    private static partial Regex BotRefs();

    [GeneratedRegex(@"^- thread #(\d+) by (.+?) \(#(\d+)\) \[(.+?)\] score=(-?\d+) replies=(\d+) voted=(yes|no): ""(.*)"" - ")]
    private static partial Regex ThreadLine();

    [GeneratedRegex(@"^- post #(\d+) in thread #(\d+) \[(.+?)\] by (.+?) \(#(\d+)\)(?: replying to post #\d+)? voted=(yes|no): ""(.*)""$")]
    private static partial Regex PostLine();

    [GeneratedRegex(@"^You are (.+?), a member")]
    private static partial Regex SummaryName();

    [GeneratedRegex(@"communication style is (\w+)")]
    private static partial Regex SummaryStyle();
}
