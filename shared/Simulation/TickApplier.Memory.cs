using BotSociety.Core.Data;
using BotSociety.Core.Memory;
using BotSociety.Core.Search;

namespace BotSociety.Core.Simulation;

/// <summary>The warm-memory side of applying a heartbeat: relationships, interests, facts, opinions and their bounds.</summary>
public sealed partial class TickApplier
{
    /// <summary>Moves how <paramref name="botId"/> feels about another bot, and records the interaction as a relationship event.</summary>
    private async Task AdjustRelationshipAsync(Tick tick, int botId, int otherId, string otherName, string kind, double delta, string note, long activityId, CancellationToken ct)
    {
        await tick.Writer.InsertRelationshipEventAsync(botId, otherId, kind, delta, activityId, tick.Now, ct);
        if (tick.State.Relationships.TryGetValue((botId, otherId), out var row))
        {
            row.Sentiment = Math.Round(Math.Clamp(row.Sentiment + delta, -1, 1), 4);
            row.Importance = Math.Min(1.0, row.Importance + 0.05);
            await tick.Writer.UpdateMemoryAsync(row.Id, otherName, RelationshipNote(otherName, row.Sentiment, note), row.Sentiment, row.Importance, activityId, tick.Now, ct);
            return;
        }

        var id = await InsertMemoryAsync(tick, new WarmMemory
        {
            BotId = botId, Category = MemoryCategory.Relationship, Subject = otherName, AboutBotId = otherId,
            Content = RelationshipNote(otherName, Math.Clamp(delta, -1, 1), note),
            Sentiment = Math.Clamp(delta, -1, 1), Importance = 0.3, ActivityId = activityId, CreatedAt = tick.Now,
        }, ct);
        tick.State.Remember(tick.State.Relationships, (botId, otherId), new MemoryRow(id) { Sentiment = Math.Clamp(delta, -1, 1), Importance = 0.3 });
    }

    /// <summary>
    /// The note of a relationship: where the bot stands with the other overall, then the latest event. The sentiment
    /// adds up every event, so a warm friend who just downvoted reads "On good terms with Ada; lately: Ada downvoted my
    /// writing …", never a bare "Ada downvoted my writing" beside a warm +0.75.
    /// </summary>
    internal static string RelationshipNote(string otherName, double sentiment, string latest)
    {
        var stance = sentiment >= StanceThreshold ? $"On good terms with {otherName}"
            : sentiment <= -StanceThreshold ? $"Wary of {otherName}"
            : $"Undecided about {otherName}";
        return TextCut.Cut($"{stance}; lately: {latest}", 600);
    }

    /// <summary>Below this size a sentiment is no stance either way.</summary>
    private const double StanceThreshold = 0.05;

    private async Task BumpInterestAsync(Tick tick, int botId, string topic, long activityId, CancellationToken ct)
    {
        if (tick.State.Interests.TryGetValue((botId, topic), out var row))
        {
            row.Importance = Math.Min(1.0, row.Importance + 0.05);
            await tick.Writer.UpdateMemoryAsync(row.Id, topic, $"Keeps coming back to {topic}.", row.Sentiment, row.Importance, activityId, tick.Now, ct);
            return;
        }

        var id = await InsertMemoryAsync(tick, new WarmMemory
        {
            BotId = botId, Category = MemoryCategory.Interest, Subject = TextCut.Cut(topic, 200), Content = $"Keeps coming back to {topic}.",
            Importance = 0.3, ActivityId = activityId, CreatedAt = tick.Now,
        }, ct);
        tick.State.Remember(tick.State.Interests, (botId, topic), new MemoryRow(id) { Importance = 0.3 });
    }

    private async Task AddFactAsync(Tick tick, int botId, SearchResult result, double importance, long activityId, CancellationToken ct)
    {
        // A bot remembers what bears on who it is: its interests, or a topic it has come back to in its own threads
        // and replies. A stray corpus hit on another topic is read and let go, so memory follows the persona. A web
        // hit has no topic of its own (its "topic" is the query's first words, which the bot chose), so it is kept.
        var bot = tick.State.Bots[botId];
        if (result.Source.StartsWith(OfflineCorpusSearch.SourcePrefix, StringComparison.Ordinal)
            && !bot.Config.Personality.Interests.Contains(result.Topic, StringComparer.OrdinalIgnoreCase)
            && !tick.State.Interests.ContainsKey((botId, result.Topic)))
        {
            return;
        }

        var content = TextCut.Cut($"{result.Title}: {result.Snippet}", 600);
        if (tick.State.Facts.TryGetValue((botId, result.Source), out var row))
        {
            // Finding the same thing again makes it matter more, not twice.
            row.Importance = Math.Min(1.0, row.Importance + 0.1);
            await tick.Writer.UpdateMemoryAsync(row.Id, TextCut.Cut(result.Title, 200), content, row.Sentiment, row.Importance, activityId, tick.Now, ct);
            return;
        }

        var id = await InsertMemoryAsync(tick, new WarmMemory
        {
            BotId = botId, Category = MemoryCategory.Fact, Subject = TextCut.Cut(result.Title, 200), Content = content, Source = result.Source,
            Importance = importance, ActivityId = activityId, CreatedAt = tick.Now,
        }, ct);
        tick.State.Remember(tick.State.Facts, (botId, result.Source), new MemoryRow(id) { Importance = importance });
    }

    private Task<long> AddOpinionAsync(Tick tick, int botId, string topic, string content, double sentiment, long activityId, CancellationToken ct) =>
        InsertMemoryAsync(tick, new WarmMemory
        {
            BotId = botId, Category = MemoryCategory.Opinion, Subject = TextCut.Cut(topic, 200), Content = TextCut.Cut(content, 600),
            Sentiment = sentiment, Importance = 0.3 + (Math.Abs(sentiment) * 0.3), ActivityId = activityId, CreatedAt = tick.Now,
        }, ct);

    /// <summary>Inserts a warm item and, when its category is over its bound, evicts the least important (then oldest).</summary>
    private async Task<long> InsertMemoryAsync(Tick tick, WarmMemory memory, CancellationToken ct)
    {
        var id = await tick.Writer.InsertMemoryAsync(memory, ct);
        var key = (memory.BotId, memory.Category);
        var count = tick.State.MemoryCounts.TryGetValue(key, out var known)
            ? known + 1
            : await tick.Writer.CountMemoryAsync(memory.BotId, memory.Category, ct);
        var limit = MemoryLimits.For(memoryOptions.Value, memory.Category);
        if (count > limit)
        {
            var evicted = await tick.Writer.EvictMemoryAsync(memory.BotId, memory.Category, count - limit, ct);
            count -= evicted.Count;
            tick.State.Forget(evicted);
        }

        tick.State.MemoryCounts[key] = count;
        return id;
    }
}
