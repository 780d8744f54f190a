using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using BotSociety.Core.Search;
using BotSociety.Core.Simulation.Quality;

namespace BotSociety.Core.Llm.Offline;

/// <summary>
/// Writes the simulator's thread openings and replies. A person does not say the same sentence twice in a day, so every
/// long sentence is a point on the topic (a phrasebook claim or a sentence of a corpus article, which is what the bot
/// reads) put together with a lead-in in the bot's voice: an opener, a reaction to the member answered, or a lead. The
/// bot walks all (lead-in, point) pairs of a pool in its own shuffled order, one step per heartbeat (the prompt says
/// which heartbeat it is), so a pair comes back only after the whole pool has been used: several hundred heartbeats,
/// more than a bot has in a day. What the seed chooses (the question, the subject of a thread) rides on those sentences.
/// </summary>
internal sealed partial class OfflineWriter(Phrasebook phrasebook)
{
    /// <summary>A catchphrase is a signature, not a habit: at most once in this many heartbeats, more than a day holds.</summary>
    private const int CatchphraseEvery = 300;

    private static readonly Lazy<Dictionary<string, List<string>>> CorpusSentences = new(LoadCorpusSentences);

    private readonly ConcurrentDictionary<(int Bot, string Pool, int Size), int[]> orders = new();

    /// <summary>A thread's opening and the subject it is about (the title names the same subject).</summary>
    public (string Body, string Subject) Thread(OfflinePrompt p, Random random, string topic, TopicPhrases phrases, string? subject)
    {
        var style = Style(p.Style);
        var subjects = subject is null ? phrases.Subjects : [subject];
        var openers = LeadIns(Templated(style.Openers), subjects, "");
        var (first, opener) = Walk(p, random, "opener:", topic, phrases, openers);

        // An opener that names no subject leaves the thread's subject to the seed.
        var chosen = opener.Subject ?? (subjects.Count == 0 ? topic : subjects[random.Next(subjects.Count)]);
        var body = new StringBuilder(first);

        // Creative bots write more.
        if (random.Next(100) < p.Creativity)
        {
            body.Append(' ').Append(Walk(p, random, "lead:", topic, phrases, Leads(style)).Sentence);
        }

        AppendQuestion(random, phrases, chosen, "", body);
        AppendCatchphrase(p, body);
        return (body.ToString(), chosen);
    }

    /// <summary>A reply: one sentence reacting to the member on the thread's subject with a point of the bot's own.</summary>
    public string ReplyBody(OfflinePrompt p, Random random, OfflinePrompt.Item target, string topic, TopicPhrases phrases, bool agrees)
    {
        var style = Style(p.Style);
        var subject = SubjectOf(target.Title, phrases);
        var reactions = LeadIns(agrees ? style.Agree : style.Disagree, subject is null ? phrases.Subjects : [subject], target.AuthorName);
        var body = new StringBuilder(Walk(p, random, agrees ? "agree:" : "disagree:", topic, phrases, reactions).Sentence);
        if (random.Next(100) < p.Creativity / 2)
        {
            AppendQuestion(random, phrases, subject, target.AuthorName, body);
        }

        AppendCatchphrase(p, body);
        return body.ToString();
    }

    /// <summary>
    /// The subject of a thread, read from its title when the title names one of the topic's subjects (titles are
    /// written around a subject); otherwise null.
    /// </summary>
    public static string? SubjectOf(string title, TopicPhrases phrases) =>
        phrases.Subjects.Where(s => title.Contains(s, StringComparison.OrdinalIgnoreCase)).OrderByDescending(s => s.Length).FirstOrDefault();

    /// <summary>
    /// This heartbeat's (lead-in, point) pair of a pool, as one sentence. Each step of the walk is a different pair,
    /// so the sentence comes back only after every pair has been written.
    /// </summary>
    private (string Sentence, LeadIn LeadIn) Walk(OfflinePrompt p, Random random, string pool, string topic, TopicPhrases phrases, List<LeadIn> leadIns)
    {
        // Two names of one topic ("ai", "artificial-intelligence") share its points, so they share one walk too.
        var key = phrasebook.MatchTopic(topic) ?? topic;
        var points = Points(topic, phrases);
        var step = Step(p, pool + key, points.Count * leadIns.Count);
        var point = points[Order(p.SelfId, "points:" + key, points.Count)[step % points.Count]];
        var leadIn = leadIns[Order(p.SelfId, pool + key, leadIns.Count)[step / points.Count]];
        // The pair is the heartbeat's; how the two are joined is the seed's, so another seed words the same pair otherwise.
        return (Join(leadIn.Text, point, Connectives[random.Next(Connectives.Length)]), leadIn);
    }

    /// <summary>Ways of carrying a lead-in on to the point it leads to.</summary>
    private static readonly string[] Connectives =
        [": ", " \u2014 ", "; as I see it, ", "; what's more, ", "; for what it's worth, ", "; to my mind, ", "; and ", "; mind you, "];

    /// <summary>A lead-in and the subject it names, if any.</summary>
    private sealed record LeadIn(string Text, string? Subject);

    /// <summary>Every distinct filling of the templates: one per subject for a template that names one.</summary>
    private static List<LeadIn> LeadIns(List<string> templates, List<string> subjects, string author)
    {
        var leadIns = templates.SelectMany(t => t.Contains("{subject}", StringComparison.Ordinal) && subjects.Count > 0
                ? subjects.Select(s => new LeadIn(Fill(t, s, author), s))
                : [new LeadIn(Fill(t, "", author), null)])
            .DistinctBy(l => l.Text, StringComparer.Ordinal)
            .ToList();
        return leadIns.Count == 0 ? [new LeadIn("", null)] : leadIns;
    }

    private static List<LeadIn> Leads(StylePhrases style) => LeadIns(style.Leads, [], "");

    /// <summary>
    /// The lead-in and the point as one sentence: "Spot on, Ada: most bugs…". A lead-in kept as its own sentence would
    /// be the same sentence in many posts; joined to a point it never is.
    /// </summary>
    private static string Join(string leadIn, string point, string connective)
    {
        // A lead-in of two short sentences ("Spot on, Ada. Nailed it.") becomes one, or its first would repeat.
        var lead = string.Join("; ", QualityText.Sentences(leadIn).Select((s, i) => (i == 0 ? s : LowerFirst(s)).TrimEnd('.', '!', '?')))
            + (leadIn.TrimEnd() is [.., '?' or '!'] ? leadIn.TrimEnd()[^1..] : "");
        if (lead.Length == 0)
        {
            return point;
        }

        // A question or exclamation cannot end in a colon; a dash carries it on instead.
        var separator = lead[^1] is '?' or '!' ? " \u2014 " : connective;
        return lead.TrimEnd('.', '?', '!') + separator + LowerFirst(point);
    }

    /// <summary>
    /// The question rides on the post's last sentence ("…, so how do you…?"): as a sentence of its own it would come
    /// back every few posts. The seed picks it, so the same heartbeat under another seed asks something else.
    /// </summary>
    private static void AppendQuestion(Random random, TopicPhrases phrases, string? subject, string author, StringBuilder body)
    {
        if (phrases.Questions.Count == 0)
        {
            return;
        }

        var about = subject ?? (phrases.Subjects.Count == 0 ? "it" : phrases.Subjects[random.Next(phrases.Subjects.Count)]);
        var question = Fill(phrases.Questions[random.Next(phrases.Questions.Count)], about, author);
        if (body.Length > 0 && body[^1] is '.' or '!' or '?')
        {
            body.Length--;
        }

        body.Append(" \u2014 so, ").Append(LowerFirst(question));
    }

    private static void AppendCatchphrase(OfflinePrompt p, StringBuilder body)
    {
        if (!string.IsNullOrEmpty(p.Catchphrase) && (p.Heartbeat + p.SelfId) % CatchphraseEvery == 0)
        {
            body.Append(' ').Append(p.Catchphrase);
        }
    }

    /// <summary>"Most bugs…" becomes "most bugs…"; "AI models…" and "I think…" keep their capital.</summary>
    private static string LowerFirst(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && char.IsLower(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    /// <summary>
    /// Where the bot stands in a pool on this heartbeat: one step a heartbeat, starting where the bot's own offset puts
    /// it, so two bots do not walk in step.
    /// </summary>
    private static int Step(OfflinePrompt p, string pool, int size)
    {
        var offset = (long)Mix(p.SelfId, pool) % size;
        return (int)((p.Heartbeat + offset) % size);
    }

    /// <summary>The bot's own shuffled order of a pool, the same on every call (a seeded Fisher-Yates shuffle).</summary>
    private int[] Order(int bot, string pool, int size) => orders.GetOrAdd((bot, pool, size), key =>
    {
        var order = Enumerable.Range(0, key.Size).ToArray();
        var random = new Random(unchecked((int)Mix(key.Bot, key.Pool)));
        random.Shuffle(order);
        return order;
    });

    private static ulong Mix(int bot, string pool)
    {
        // FNV-1a over the pool's name and the bot: stable across processes, unlike string.GetHashCode.
        var hash = 14695981039346656037UL ^ (uint)bot;
        foreach (var c in pool)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash >> 1;
    }

    private List<string> Points(string topic, TopicPhrases phrases)
    {
        var key = phrasebook.MatchTopic(topic) ?? topic;
        // A point the measures would read as two sentences could repeat its first in another post; only whole ones.
        return [.. phrases.Claims.Where(QualityText.IsOneSentence), .. CorpusSentences.Value.GetValueOrDefault(key) ?? []];
    }

    /// <summary>Templates that name a subject or a member; a fixed sentence would read the same in every post.</summary>
    private static List<string> Templated(List<string> templates)
    {
        var named = templates.Where(t => t.Contains("{subject}", StringComparison.Ordinal) || t.Contains("{author}", StringComparison.Ordinal)).ToList();
        return named.Count > 0 ? named : templates;
    }

    private StylePhrases Style(string style) =>
        phrasebook.Styles.TryGetValue(style, out var phrases) ? phrases : phrasebook.Styles.OrderBy(s => s.Key, StringComparer.Ordinal).First().Value;

    internal static string Fill(string template, string subject, string author) =>
        template.Replace("{subject}", subject, StringComparison.Ordinal).Replace("{author}", author.Length == 0 ? "friend" : author, StringComparison.Ordinal);

    /// <summary>The corpus articles' sentences by topic: whole sentences of a readable length, in article order.</summary>
    private static Dictionary<string, List<string>> LoadCorpusSentences() =>
        CorpusArticle.LoadEmbedded()
            .GroupBy(a => a.Topic, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.SelectMany(a => SentenceBreak().Split(a.Body))
                    .Select(s => s.Trim())
                    .Where(s => s.Length is >= 40 and <= 240 && char.IsUpper(s[0]) && s[^1] == '.' && QualityText.IsOneSentence(s))
                    .Distinct(StringComparer.Ordinal)
                    .ToList(),
                StringComparer.Ordinal);

    // A sentence ends after a word of four or more letters (or a figure) and a full stop: "var." and "e.g." do not end one.
    [GeneratedRegex(@"(?<=(?:\p{Ll}{4}|\d)[.!?])\s+(?=\p{Lu})")]
    private static partial Regex SentenceBreak();
}
