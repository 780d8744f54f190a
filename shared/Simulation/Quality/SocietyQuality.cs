using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BotSociety.Core.Data;
using BotSociety.Core.Memory;
using BotSociety.Core.Search;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Simulation.Quality;

/// <summary>
/// How a society reads to a person, in numbers (issue 19): whether searches find what they ask for, memories stay on
/// the persona, relationship notes agree with their feelings, bots repeat themselves, threads get answers, and the
/// members are distinct people. The bench's <c>quality</c> command prints it; a test holds each threshold.
/// </summary>
public sealed partial record SocietyQuality
{
    public const double MinSearchRelevance = 0.95;
    public const double MinFactsOnPersona = 0.80;
    public const double MaxRepetitionShare = 0.10;
    public const double MinThreadsAnswered = 0.70;
    public const double MaxThreadsPerReply = 0.25;

    public int SearchResults { get; init; }
    /// <summary>Share of returned search results whose title or excerpt holds a content word of the query.</summary>
    public double SearchRelevance { get; init; }
    public int WarmFacts { get; init; }
    /// <summary>Share of warm facts (all bots) on the bot's interests or the topics of the threads it started.</summary>
    public double FactsOnPersona { get; init; }
    /// <summary>The lowest per-bot share of facts on persona, over bots with at least three facts.</summary>
    public double FactsOnPersonaLowestBot { get; init; }
    public int RelationshipNotes { get; init; }
    /// <summary>Notes whose stated stance opposes their sentiment, or that tell of a vote the other way from their event.</summary>
    public int ContradictingNotes { get; init; }
    /// <summary>Per bot and day: the share of its posts holding a long sentence another of its posts that day holds.</summary>
    public double RepetitionMax { get; init; }
    public double RepetitionMedian { get; init; }
    public int Posts { get; init; }
    /// <summary>Posts (thread openings and replies) whose text is word for word another post's.</summary>
    public int DuplicatePosts { get; init; }
    /// <summary>The most common closing sentence of posts and summaries, and how many end with it.</summary>
    public string CommonestEnding { get; init; } = "";
    public int CommonestEndingCount { get; init; }
    public int Threads { get; init; }
    public int Replies { get; init; }
    public int ThreadsOlderThanADay { get; init; }
    /// <summary>Share of threads older than a day that got a reply within a day of being started.</summary>
    public double ThreadsAnsweredWithinADay { get; init; }
    public double ThreadsPerReply { get; init; }
    public int Bots { get; init; }
    public int DistinctNames { get; init; }
    /// <summary>Bots named like a copy of another ("Ada-2").</summary>
    public int NumberedCopies { get; init; }
    /// <summary>Distinct (bio, interests, style) combinations among the bots.</summary>
    public int DistinctPersonas { get; init; }

    /// <summary>Each threshold of issue 19 that the society misses, in words; empty when it meets them all.</summary>
    public IReadOnlyList<string> Misses()
    {
        var misses = new List<string>();
        void Check(bool ok, string what)
        {
            if (!ok)
            {
                misses.Add(what);
            }
        }

        Check(SearchResults == 0 || SearchRelevance >= MinSearchRelevance, $"search relevance {SearchRelevance:P0} < {MinSearchRelevance:P0}");
        Check(WarmFacts == 0 || FactsOnPersona >= MinFactsOnPersona, $"facts on persona {FactsOnPersona:P0} < {MinFactsOnPersona:P0}");
        Check(ContradictingNotes == 0, $"{ContradictingNotes} relationship notes contradict their sentiment or event");
        Check(RepetitionMax <= MaxRepetitionShare, $"repetition {RepetitionMax:P0} > {MaxRepetitionShare:P0} for some bot and day");
        Check(ThreadsOlderThanADay == 0 || ThreadsAnsweredWithinADay >= MinThreadsAnswered, $"threads answered within a day {ThreadsAnsweredWithinADay:P0} < {MinThreadsAnswered:P0}");
        Check(ThreadsPerReply <= MaxThreadsPerReply, $"{ThreadsPerReply:0.00} threads per reply > {MaxThreadsPerReply:0.00}");
        Check(NumberedCopies == 0 && DistinctNames == Bots, $"{NumberedCopies} numbered copies, {DistinctNames} names for {Bots} bots");
        return misses;
    }

    public static async Task<SocietyQuality> MeasureAsync(BotSocietyDb db, CancellationToken ct)
    {
        var bots = await db.Bots.AsNoTracking().ToListAsync(ct);
        var threads = await db.Threads.AsNoTracking().Select(t => new { t.Id, t.BotId, t.Topic, t.Body, t.CreatedAt }).ToListAsync(ct);
        var posts = await db.Posts.AsNoTracking().Select(p => new { p.Id, p.ThreadId, p.BotId, p.Body, p.CreatedAt }).ToListAsync(ct);
        var searches = await db.ActivityLog.AsNoTracking().Where(a => a.Action == ActivityActions.Search).Select(a => a.Details).ToListAsync(ct);
        var facts = await db.WarmMemories.AsNoTracking().Where(m => m.Category == MemoryCategory.Fact).Select(m => new { m.BotId, m.Source }).ToListAsync(ct);
        var notes = await db.WarmMemories.AsNoTracking().Where(m => m.Category == MemoryCategory.Relationship)
            .Select(m => new { m.BotId, m.AboutBotId, m.Content, m.Sentiment, m.ActivityId }).ToListAsync(ct);
        var events = await db.RelationshipEvents.AsNoTracking().Where(e => e.ActivityId != null)
            .Select(e => new { e.BotId, e.OtherBotId, e.Kind, e.ActivityId }).ToListAsync(ct);
        var summaries = await db.ColdMemories.AsNoTracking().Select(c => c.Summary).ToListAsync(ct);

        // Search: each returned result against its own query.
        int results = 0, relevant = 0;
        foreach (var details in searches.Select(d => JsonNode.Parse(d) as JsonObject))
        {
            var query = details?["query"]?.GetValue<string>() ?? "";
            foreach (var result in (details?["results"] as JsonArray ?? []).OfType<JsonObject>())
            {
                results++;
                var text = $"{result["title"]?.GetValue<string>()} {result["excerpt"]?.GetValue<string>()}";
                relevant += QualityText.SharesContentWord(query, text) ? 1 : 0;
            }
        }

        // Facts: the article's topic against the bot's interests and the topics of the threads it started (replies are
        // left out: a bot answers on any topic, and counting those would pass nearly every fact).
        var articleTopics = CorpusArticle.LoadEmbedded().ToDictionary(a => OfflineCorpusSearch.SourcePrefix + a.Id, a => a.Topic, StringComparer.Ordinal);
        var topicsOf = bots.ToDictionary(b => b.Id, b => b.PersonalityConfig.Personality.Interests.ToHashSet(StringComparer.OrdinalIgnoreCase));
        foreach (var t in threads.Where(t => topicsOf.ContainsKey(t.BotId)))
        {
            topicsOf[t.BotId].Add(t.Topic);
        }

        bool OnPersona(int botId, string? source) =>
            source is not null && articleTopics.TryGetValue(source, out var topic) && topicsOf.TryGetValue(botId, out var topics) && topics.Contains(topic);
        var factsOn = facts.Count(f => OnPersona(f.BotId, f.Source));
        var perBotFacts = facts.GroupBy(f => f.BotId).Where(g => g.Count() >= 3)
            .Select(g => g.Count(f => OnPersona(f.BotId, f.Source)) / (double)g.Count()).ToList();

        // Notes: the stance they lead with against the sentiment, and the vote they tell of against their event.
        var eventKind = events.GroupBy(e => (e.BotId, e.OtherBotId, e.ActivityId)).ToDictionary(g => g.Key, g => g.Last().Kind);
        var contradicting = notes.Count(n =>
        {
            var tone = QualityText.NoteTone(n.Content);
            if (tone != 0 && Math.Abs(n.Sentiment) >= 0.05 && tone != Math.Sign(n.Sentiment))
            {
                return true;
            }

            var told = QualityText.NoteEventDirection(n.Content);
            return told != 0 && n.AboutBotId is { } about && eventKind.TryGetValue((n.BotId, about, n.ActivityId), out var kind)
                && kind.Contains("voted", StringComparison.Ordinal) && told != (kind.Contains("downvoted", StringComparison.Ordinal) ? -1 : 1);
        });

        // Repetition, per bot and day, over thread openings and replies.
        var writing = threads.Select(t => (t.BotId, Day: DateOnly.FromDateTime(t.CreatedAt), Text: t.Body))
            .Concat(posts.Select(p => (p.BotId, Day: DateOnly.FromDateTime(p.CreatedAt), Text: p.Body)))
            .ToList();
        var shares = new List<double>();
        foreach (var day in writing.GroupBy(w => (w.BotId, w.Day)).Where(g => g.Count() >= 2))
        {
            var sentences = day.Select(w => QualityText.LongSentences(w.Text).ToHashSet(StringComparer.Ordinal)).ToList();
            var seen = sentences.SelectMany(s => s).GroupBy(s => s, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
            shares.Add(sentences.Count(s => s.Overlaps(seen)) / (double)sentences.Count);
        }

        shares.Sort();
        var duplicates = writing.GroupBy(w => w.Text, StringComparer.Ordinal).Where(g => g.Count() > 1).Sum(g => g.Count());
        var ending = writing.Select(w => w.Text).Concat(summaries)
            .Select(t => QualityText.LongSentences(t).LastOrDefault() ?? "")
            .Where(s => s.Length > 0)
            .GroupBy(s => s, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .FirstOrDefault();

        // Threads: answered within a day of starting, counting only those a full day old by the end of the history.
        var end = writing.Count == 0 ? DateTime.MinValue : threads.Select(t => t.CreatedAt).Concat(posts.Select(p => p.CreatedAt)).Max();
        var firstReply = posts.GroupBy(p => p.ThreadId).ToDictionary(g => g.Key, g => g.Min(p => p.CreatedAt));
        var old = threads.Where(t => t.CreatedAt <= end.AddDays(-1)).ToList();
        var answered = old.Count(t => firstReply.TryGetValue(t.Id, out var first) && first <= t.CreatedAt.AddDays(1));

        return new SocietyQuality
        {
            SearchResults = results,
            SearchRelevance = Share(relevant, results),
            WarmFacts = facts.Count,
            FactsOnPersona = Share(factsOn, facts.Count),
            FactsOnPersonaLowestBot = perBotFacts.Count == 0 ? 1 : perBotFacts.Min(),
            RelationshipNotes = notes.Count,
            ContradictingNotes = contradicting,
            RepetitionMax = shares.Count == 0 ? 0 : shares[^1],
            RepetitionMedian = shares.Count == 0 ? 0 : shares[shares.Count / 2],
            Posts = writing.Count,
            DuplicatePosts = duplicates,
            CommonestEnding = ending?.Key ?? "",
            CommonestEndingCount = ending?.Count() ?? 0,
            Threads = threads.Count,
            Replies = posts.Count,
            ThreadsOlderThanADay = old.Count,
            ThreadsAnsweredWithinADay = Share(answered, old.Count),
            ThreadsPerReply = posts.Count == 0 ? threads.Count : threads.Count / (double)posts.Count,
            Bots = bots.Count,
            DistinctNames = bots.Select(b => b.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count(),
            NumberedCopies = bots.Count(b => NumberedCopy().IsMatch(b.Name)),
            DistinctPersonas = bots.Select(b => (b.PersonalityConfig.Personality.Bio, string.Join(",", b.PersonalityConfig.Personality.Interests),
                b.PersonalityConfig.Personality.CommunicationStyle)).Distinct().Count(),
        };
    }

    private static double Share(int part, int whole) => whole == 0 ? 1 : part / (double)whole;

    [GeneratedRegex(@"-\d+$")]
    private static partial Regex NumberedCopy();
}
