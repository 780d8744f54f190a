using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using BotSociety.Core.Search;

namespace BotSociety.Core.Llm.Offline;

/// <summary>
/// Writes the simulator's thread openings and replies. A person does not say the same sentence twice in a day, so each
/// kind of sentence comes from a pool the bot walks through in its own shuffled order, one step per heartbeat (the
/// prompt says which heartbeat it is): a sentence comes back only after the whole pool has been used. The points a
/// bot makes are the phrasebook's claims and the sentences of the corpus articles on the topic, which is what it reads.
/// </summary>
internal sealed partial class OfflineWriter(Phrasebook phrasebook)
{
    /// <summary>A catchphrase is a signature, not a habit: about once in this many heartbeats.</summary>
    private const int CatchphraseEvery = 150;

    private static readonly Lazy<Dictionary<string, List<string>>> CorpusSentences = new(LoadCorpusSentences);

    private readonly ConcurrentDictionary<(int Bot, string Pool, int Size), int[]> orders = new();

    /// <summary>A thread's opening and the subject it is about (the title names the same subject).</summary>
    public (string Body, string Subject) Thread(OfflinePrompt p, Random random, string topic, TopicPhrases phrases, string? subject)
    {
        var style = Style(p.Style);
        var (opener, chosen) = Sentence(p, "opener", Templated(style.Openers), phrases.Subjects, subject, "");
        var body = new StringBuilder(opener);
        body.Append(' ').Append(Point(p, topic, phrases, style, 0));

        // Creative bots write more and ask the room something.
        if (random.Next(100) < p.Creativity)
        {
            body.Append(' ').Append(Point(p, topic, phrases, style, 1));
        }

        AppendQuestion(p, phrases, "", body);
        AppendCatchphrase(p, body);
        return (body.ToString(), chosen);
    }

    public string ReplyBody(OfflinePrompt p, Random random, OfflinePrompt.Item target, string topic, TopicPhrases phrases, bool agrees)
    {
        var style = Style(p.Style);
        // A reaction that names the subject varies with it; one that only names the member would read the same in every
        // reply to them, so it opens a reply only now and then.
        var templates = agrees ? style.Agree : style.Disagree;
        var onSubject = templates.Where(t => t.Contains("{subject}", StringComparison.Ordinal)).ToList();
        var body = new StringBuilder();
        if (onSubject.Count > 0 || random.Next(100) < 25)
        {
            var reaction = onSubject.Count > 0 ? onSubject : Templated(templates);
            body.Append(Sentence(p, agrees ? "agree" : "disagree", reaction, phrases.Subjects, null, target.AuthorName).Text).Append(' ');
        }

        body.Append(Point(p, topic, phrases, style, 0));
        if (random.Next(100) < p.Creativity / 2)
        {
            AppendQuestion(p, phrases, target.AuthorName, body);
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
    /// One point on the topic, with a lead in the bot's voice. The walk goes through every point before any lead
    /// repeats with it, so the same point comes back only much later and the same sentence later still.
    /// </summary>
    private string Point(OfflinePrompt p, string topic, TopicPhrases phrases, StylePhrases style, int slot)
    {
        var points = Points(topic, phrases);
        var leads = style.Leads.Count == 0 ? [""] : style.Leads;
        var step = Step(p, "point:" + topic, points.Count * leads.Count, slot, 2);
        var point = points[Order(p.SelfId, "points:" + topic, points.Count)[step % points.Count]];
        var lead = leads[Order(p.SelfId, "leads", leads.Count)[step / points.Count % leads.Count]];
        return lead.Length == 0 ? point : $"{lead}: {point}";
    }

    /// <summary>A template filled with a subject, walked over every (template, subject) pair; a given subject keeps the walk's template.</summary>
    private (string Text, string Subject) Sentence(OfflinePrompt p, string pool, List<string> templates, List<string> subjects, string? subject, string author)
    {
        var size = templates.Count * Math.Max(1, subjects.Count);
        var step = Step(p, pool, size, 0, 1);
        var template = templates[Order(p.SelfId, pool, templates.Count)[step % templates.Count]];
        var chosen = subject ?? (subjects.Count == 0 ? "" : subjects[Order(p.SelfId, pool + ":subjects", subjects.Count)[step / templates.Count % subjects.Count]]);
        return (Fill(template, chosen, author), chosen);
    }

    private void AppendQuestion(OfflinePrompt p, TopicPhrases phrases, string author, StringBuilder body)
    {
        var questions = Templated(phrases.Questions);
        if (questions.Count > 0)
        {
            body.Append(' ').Append(Sentence(p, "question", questions, phrases.Subjects, null, author).Text);
        }
    }

    private static void AppendCatchphrase(OfflinePrompt p, StringBuilder body)
    {
        if (!string.IsNullOrEmpty(p.Catchphrase) && (p.Heartbeat + p.SelfId) % CatchphraseEvery == 0)
        {
            body.Append(' ').Append(p.Catchphrase);
        }
    }

    /// <summary>
    /// Where the bot stands in a pool on this heartbeat: <paramref name="perHeartbeat"/> steps a heartbeat, starting
    /// where the bot's own offset puts it, so two bots do not walk in step.
    /// </summary>
    private static int Step(OfflinePrompt p, string pool, int size, int slot, int perHeartbeat)
    {
        var offset = (long)Mix(p.SelfId, pool) % size;
        return (int)(((p.Heartbeat * perHeartbeat) + slot + offset) % size);
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
        return [.. phrases.Claims, .. CorpusSentences.Value.GetValueOrDefault(key) ?? []];
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
                    .Where(s => s.Length is >= 40 and <= 240 && char.IsUpper(s[0]) && s[^1] == '.')
                    .Distinct(StringComparer.Ordinal)
                    .ToList(),
                StringComparer.Ordinal);

    // A sentence ends after a word of four or more letters (or a figure) and a full stop: "var." and "e.g." do not end one.
    [GeneratedRegex(@"(?<=(?:\p{Ll}{4}|\d)[.!?])\s+(?=\p{Lu})")]
    private static partial Regex SentenceBreak();
}
