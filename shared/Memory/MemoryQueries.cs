using System.Globalization;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Memory;

/// <summary>The activity that produced a memory.</summary>
public sealed record MemorySourceActivity(long Id, string Action, DateTime CreatedAt);

/// <summary>One warm memory item.</summary>
public sealed record WarmMemoryItem(
    long Id, string Subject, string Content, string? Source, int? AboutBotId, double Sentiment, double Importance,
    DateTime CreatedAt, DateTime UpdatedAt, MemorySourceActivity? Activity);

/// <summary>Warm memory, each category paged on its own.</summary>
public sealed record WarmMemoryView(
    int BotId, Page<WarmMemoryItem> Facts, Page<WarmMemoryItem> Relationships, Page<WarmMemoryItem> Opinions, Page<WarmMemoryItem> Interests);

/// <summary>The <c>memory_compressed</c> activity that wrote a summary: its model and tokens.</summary>
public sealed record SummaryActivity(long Id, string Action, string? Model, int TokensUsed);

/// <summary>One cold memory summary.</summary>
public sealed record ColdMemoryItem(
    long Id, DateTime PeriodStart, DateTime PeriodEnd, string Summary, int ActivityCount, DateTime CreatedAt, SummaryActivity? Activity);

/// <summary>Warm and cold memory of a bot together.</summary>
public sealed record BotMemoryView(int BotId, WarmMemoryView Warm, Page<ColdMemoryItem> Cold);

/// <summary>Where each warm category's page starts, and how many items each page holds.</summary>
public sealed record WarmPaging(int Limit, int FactsOffset, int RelationshipsOffset, int OpinionsOffset, int InterestsOffset)
{
    public const int DefaultLimit = 50;

    public static WarmPaging FirstPages { get; } = new(DefaultLimit, 0, 0, 0, 0);

    /// <summary>Parses <c>limit</c> and the per-category offsets; errors name the offending parameter.</summary>
    public static (WarmPaging Paging, IReadOnlyList<FieldError> Errors) Parse(
        string? limit, string? factsOffset, string? relationshipsOffset, string? opinionsOffset, string? interestsOffset)
    {
        var errors = new List<FieldError>();
        var (paging, pagingErrors) = Paging.Parse(limit, offset: null, DefaultLimit);
        errors.AddRange(pagingErrors);
        int Offset(string name, string? value)
        {
            if (value is null)
            {
                return 0;
            }

            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var o))
            {
                return o;
            }

            errors.Add(new(name, $"must be a whole number of 0 or more; got '{value}'"));
            return 0;
        }

        var result = new WarmPaging(
            paging.Limit, Offset("facts_offset", factsOffset), Offset("relationships_offset", relationshipsOffset),
            Offset("opinions_offset", opinionsOffset), Offset("interests_offset", interestsOffset));
        return (result, errors);
    }
}

/// <summary>Read side of a bot's warm and cold memory for the memory explorer.</summary>
public sealed class MemoryQueries(IDbContextFactory<BotSocietyDb> dbFactory)
{
    public const int DefaultColdLimit = 10;

    /// <summary>Warm memory by category, most important first; null when there is no such bot.</summary>
    public async Task<WarmMemoryView?> WarmAsync(int botId, WarmPaging paging, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await BotExistsAsync(db, botId, cancellationToken) ? await WarmAsync(db, botId, paging, cancellationToken) : null;
    }

    /// <summary>Cold summaries, newest first; null when there is no such bot.</summary>
    public async Task<Page<ColdMemoryItem>?> ColdAsync(int botId, Paging paging, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await BotExistsAsync(db, botId, cancellationToken) ? await ColdAsync(db, botId, paging, cancellationToken) : null;
    }

    /// <summary>The first page of each warm category and of the cold summaries; null when there is no such bot.</summary>
    public async Task<BotMemoryView?> AllAsync(int botId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await BotExistsAsync(db, botId, cancellationToken))
        {
            return null;
        }

        var warm = await WarmAsync(db, botId, WarmPaging.FirstPages, cancellationToken);
        var cold = await ColdAsync(db, botId, new Paging(DefaultColdLimit, 0), cancellationToken);
        return new BotMemoryView(botId, warm, cold);
    }

    private static Task<bool> BotExistsAsync(BotSocietyDb db, int botId, CancellationToken cancellationToken) =>
        db.Bots.AnyAsync(b => b.Id == botId, cancellationToken);

    private static async Task<WarmMemoryView> WarmAsync(BotSocietyDb db, int botId, WarmPaging paging, CancellationToken cancellationToken) =>
        new(botId,
            await CategoryAsync(db, botId, MemoryCategory.Fact, new Paging(paging.Limit, paging.FactsOffset), cancellationToken),
            await CategoryAsync(db, botId, MemoryCategory.Relationship, new Paging(paging.Limit, paging.RelationshipsOffset), cancellationToken),
            await CategoryAsync(db, botId, MemoryCategory.Opinion, new Paging(paging.Limit, paging.OpinionsOffset), cancellationToken),
            await CategoryAsync(db, botId, MemoryCategory.Interest, new Paging(paging.Limit, paging.InterestsOffset), cancellationToken));

    private static async Task<Page<WarmMemoryItem>> CategoryAsync(
        BotSocietyDb db, int botId, MemoryCategory category, Paging paging, CancellationToken cancellationToken)
    {
        var items = db.WarmMemories.AsNoTracking().Where(m => m.BotId == botId && m.Category == category);
        var total = await items.CountAsync(cancellationToken);
        var page = await items
            .OrderByDescending(m => m.Importance).ThenByDescending(m => m.UpdatedAt).ThenByDescending(m => m.Id)
            .Skip(paging.Offset).Take(paging.Limit)
            .Select(m => new WarmMemoryItem(
                m.Id, m.Subject, m.Content, m.Source, m.AboutBotId, m.Sentiment, m.Importance, m.CreatedAt, m.UpdatedAt,
                m.Activity == null ? null : new MemorySourceActivity(m.Activity.Id, m.Activity.Action, m.Activity.CreatedAt)))
            .ToListAsync(cancellationToken);
        return new Page<WarmMemoryItem>(page, total, paging.Limit, paging.Offset);
    }

    private static async Task<Page<ColdMemoryItem>> ColdAsync(BotSocietyDb db, int botId, Paging paging, CancellationToken cancellationToken)
    {
        var summaries = db.ColdMemories.AsNoTracking().Where(c => c.BotId == botId);
        var total = await summaries.CountAsync(cancellationToken);
        var page = await summaries
            .OrderByDescending(c => c.PeriodEnd).ThenByDescending(c => c.Id)
            .Skip(paging.Offset).Take(paging.Limit)
            .Select(c => new ColdMemoryItem(
                c.Id, c.PeriodStart, c.PeriodEnd, c.Summary, c.ActivityCount, c.CreatedAt,
                c.Activity == null ? null : new SummaryActivity(c.Activity.Id, c.Activity.Action, c.Activity.Model, c.Activity.InputTokens + c.Activity.OutputTokens)))
            .ToListAsync(cancellationToken);
        return new Page<ColdMemoryItem>(page, total, paging.Limit, paging.Offset);
    }
}
