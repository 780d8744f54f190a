using BotSociety.Core.Data;
using BotSociety.Core.Reputation;
using BotSociety.Core.Search;
using BotSociety.Core.Simulation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Memory;

/// <summary>
/// Grows warm memory from what a bot does and what is done to it, inside the heartbeat's transaction,
/// and keeps each category within its bound by evicting the least important items.
/// </summary>
public sealed class MemoryWriter(IOptions<MemoryOptions> options)
{
    private readonly MemoryOptions limits = options.Value;

    public static async Task AddFactAsync(BotSocietyDb db, int botId, SearchResult result, double importance, ActivityLogEntry activity, DateTime now, CancellationToken cancellationToken)
    {
        var existing = await db.WarmMemories.FirstOrDefaultAsync(
            m => m.BotId == botId && m.Category == MemoryCategory.Fact && m.Source == result.Source, cancellationToken);
        if (existing is not null)
        {
            // Finding the same thing again makes it matter more, not twice.
            existing.Importance = Math.Min(1.0, existing.Importance + 0.1);
            existing.UpdatedAt = now;
            existing.Activity = activity;
            return;
        }

        db.WarmMemories.Add(new WarmMemory
        {
            BotId = botId,
            Category = MemoryCategory.Fact,
            Subject = Truncate(result.Title, 200),
            Content = Truncate($"{result.Title}: {result.Snippet}", 600),
            Source = result.Source,
            Importance = importance,
            Activity = activity,
            CreatedAt = now,
            UpdatedAt = now,
        });
    }

    /// <summary>Moves how <paramref name="botId"/> feels about another bot, and records the interaction as a relationship event.</summary>
    public static async Task AdjustRelationshipAsync(
        BotSocietyDb db, int botId, int otherBotId, string otherName, string kind, double delta, string note,
        ActivityLogEntry activity, DateTime now, CancellationToken cancellationToken)
    {
        db.RelationshipEvents.Add(new RelationshipEvent
        {
            BotId = botId, OtherBotId = otherBotId, Kind = kind, SentimentDelta = delta, Activity = activity, CreatedAt = now,
        });

        var existing = await db.WarmMemories.FirstOrDefaultAsync(
            m => m.BotId == botId && m.Category == MemoryCategory.Relationship && m.AboutBotId == otherBotId, cancellationToken);
        if (existing is null)
        {
            db.WarmMemories.Add(new WarmMemory
            {
                BotId = botId,
                Category = MemoryCategory.Relationship,
                Subject = otherName,
                AboutBotId = otherBotId,
                Content = note,
                Sentiment = Math.Clamp(delta, -1, 1),
                Importance = 0.3,
                Activity = activity,
                CreatedAt = now,
                UpdatedAt = now,
            });
            return;
        }

        existing.Sentiment = Math.Round(Math.Clamp(existing.Sentiment + delta, -1, 1), 4);
        existing.Importance = Math.Min(1.0, existing.Importance + 0.05);
        existing.Content = note;
        existing.Subject = otherName;
        existing.Activity = activity;
        existing.UpdatedAt = now;
    }

    public static void AddOpinion(BotSocietyDb db, int botId, string topic, string content, double sentiment, ActivityLogEntry activity, DateTime now) =>
        db.WarmMemories.Add(new WarmMemory
        {
            BotId = botId,
            Category = MemoryCategory.Opinion,
            Subject = Truncate(topic, 200),
            Content = Truncate(content, 600),
            Sentiment = sentiment,
            Importance = 0.3 + (Math.Abs(sentiment) * 0.3),
            Activity = activity,
            CreatedAt = now,
            UpdatedAt = now,
        });

    public static async Task BumpInterestAsync(BotSocietyDb db, int botId, string topic, ActivityLogEntry activity, DateTime now, CancellationToken cancellationToken)
    {
        var existing = await db.WarmMemories.FirstOrDefaultAsync(
            m => m.BotId == botId && m.Category == MemoryCategory.Interest && m.Subject == topic, cancellationToken);
        if (existing is null)
        {
            db.WarmMemories.Add(new WarmMemory
            {
                BotId = botId,
                Category = MemoryCategory.Interest,
                Subject = Truncate(topic, 200),
                Content = $"Keeps coming back to {topic}.",
                Importance = 0.3,
                Activity = activity,
                CreatedAt = now,
                UpdatedAt = now,
            });
            return;
        }

        existing.Importance = Math.Min(1.0, existing.Importance + 0.05);
        existing.Activity = activity;
        existing.UpdatedAt = now;
    }

    /// <summary>Evicts the least important (then oldest) items of a category beyond its bound. Call after saving.</summary>
    public async Task EnforceBoundsAsync(BotSocietyDb db, int botId, MemoryCategory category, CancellationToken cancellationToken)
    {
        var excess = await db.WarmMemories.CountAsync(m => m.BotId == botId && m.Category == category, cancellationToken) - Limit(category);
        if (excess <= 0)
        {
            return;
        }

        var evict = await db.WarmMemories
            .Where(m => m.BotId == botId && m.Category == category)
            .OrderBy(m => m.Importance).ThenBy(m => m.UpdatedAt).ThenBy(m => m.Id)
            .Take(excess)
            .Select(m => m.Id)
            .ToListAsync(cancellationToken);
        await db.WarmMemories.Where(m => evict.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
    }

    public int Limit(MemoryCategory category) => category switch
    {
        MemoryCategory.Fact => limits.MaxFacts,
        MemoryCategory.Relationship => limits.MaxRelationships,
        MemoryCategory.Opinion => limits.MaxOpinions,
        _ => limits.MaxInterests,
    };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
