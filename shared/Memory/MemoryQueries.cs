using System.Collections.Frozen;
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

    /// <summary>The bounds <see cref="Parse"/> checks, by query parameter; the API document states them (ApiRules).</summary>
    public static IReadOnlyDictionary<string, FieldRule> Rules { get; } = new Dictionary<string, FieldRule>(StringComparer.Ordinal)
    {
        ["limit"] = Paging.Rules["limit"],
        ["facts_offset"] = FieldRule.AtLeast(0),
        ["relationships_offset"] = FieldRule.AtLeast(0),
        ["opinions_offset"] = FieldRule.AtLeast(0),
        ["interests_offset"] = FieldRule.AtLeast(0),
    }.ToFrozenDictionary(StringComparer.Ordinal);

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

/// <summary>
/// Read side of a bot's warm and cold memory for the memory explorer. Each answer is a fixed handful of queries,
/// whatever it holds: one counts every category and checks the bot exists, one reads all the requested warm pages
/// at once, one reads the cold page. The explorer's first view is one request, so round trips are its cost.
/// </summary>
public sealed class MemoryQueries(IDbContextFactory<BotSocietyDb> dbFactory)
{
    public const int DefaultColdLimit = 10;

    /// <summary>Warm memory by category, most important first; null when there is no such bot.</summary>
    public async Task<WarmMemoryView?> WarmAsync(int botId, WarmPaging paging, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await CountAsync(db, botId, cancellationToken) is { } counts
            ? await WarmAsync(db, botId, paging, counts, cancellationToken)
            : null;
    }

    /// <summary>Cold summaries, newest first; null when there is no such bot.</summary>
    public async Task<Page<ColdMemoryItem>?> ColdAsync(int botId, Paging paging, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await CountAsync(db, botId, cancellationToken) is { } counts
            ? await ColdAsync(db, botId, paging, counts.Cold, cancellationToken)
            : null;
    }

    /// <summary>The first page of each warm category and of the cold summaries; null when there is no such bot.</summary>
    public async Task<BotMemoryView?> AllAsync(int botId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await CountAsync(db, botId, cancellationToken) is not { } counts)
        {
            return null;
        }

        var warm = await WarmAsync(db, botId, WarmPaging.FirstPages, counts, cancellationToken);
        var cold = await ColdAsync(db, botId, new Paging(DefaultColdLimit, 0), counts.Cold, cancellationToken);
        return new BotMemoryView(botId, warm, cold);
    }

    /// <summary>How many items each category holds; null when there is no such bot. One query.</summary>
    private static Task<MemoryCounts?> CountAsync(BotSocietyDb db, int botId, CancellationToken cancellationToken) =>
        db.Bots.AsNoTracking().Where(b => b.Id == botId)
            .Select(b => new MemoryCounts(
                db.WarmMemories.Count(m => m.BotId == botId && m.Category == MemoryCategory.Fact),
                db.WarmMemories.Count(m => m.BotId == botId && m.Category == MemoryCategory.Relationship),
                db.WarmMemories.Count(m => m.BotId == botId && m.Category == MemoryCategory.Opinion),
                db.WarmMemories.Count(m => m.BotId == botId && m.Category == MemoryCategory.Interest),
                db.ColdMemories.Count(c => c.BotId == botId)))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>The four categories' pages in one query: each page is its own ordered, limited subquery.</summary>
    private static async Task<WarmMemoryView> WarmAsync(
        BotSocietyDb db, int botId, WarmPaging paging, MemoryCounts counts, CancellationToken cancellationToken)
    {
        IQueryable<WarmMemory> PageOf(MemoryCategory category, int offset) =>
            db.WarmMemories.AsNoTracking()
                .Where(m => m.BotId == botId && m.Category == category)
                .OrderByDescending(m => m.Importance).ThenByDescending(m => m.UpdatedAt).ThenByDescending(m => m.Id)
                .Skip(offset).Take(paging.Limit);

        var rows = await PageOf(MemoryCategory.Fact, paging.FactsOffset)
            .Concat(PageOf(MemoryCategory.Relationship, paging.RelationshipsOffset))
            .Concat(PageOf(MemoryCategory.Opinion, paging.OpinionsOffset))
            .Concat(PageOf(MemoryCategory.Interest, paging.InterestsOffset))
            .Select(m => new WarmRow(
                m.Id, m.Category, m.Subject, m.Content, m.Source, m.AboutBotId, m.Sentiment, m.Importance, m.CreatedAt, m.UpdatedAt,
                m.ActivityId, m.Activity == null ? null : m.Activity.Action, m.Activity == null ? null : (DateTime?)m.Activity.CreatedAt))
            .ToListAsync(cancellationToken);

        // A union's order is not promised, so each page is put back in its subquery's order here.
        var byCategory = rows
            .OrderByDescending(r => r.Importance).ThenByDescending(r => r.UpdatedAt).ThenByDescending(r => r.Id)
            .ToLookup(r => r.Category, r => r.ToItem());
        Page<WarmMemoryItem> Page(MemoryCategory category, int total, int offset) =>
            new([.. byCategory[category]], total, paging.Limit, offset);

        return new WarmMemoryView(botId,
            Page(MemoryCategory.Fact, counts.Facts, paging.FactsOffset),
            Page(MemoryCategory.Relationship, counts.Relationships, paging.RelationshipsOffset),
            Page(MemoryCategory.Opinion, counts.Opinions, paging.OpinionsOffset),
            Page(MemoryCategory.Interest, counts.Interests, paging.InterestsOffset));
    }

    private static async Task<Page<ColdMemoryItem>> ColdAsync(
        BotSocietyDb db, int botId, Paging paging, int total, CancellationToken cancellationToken)
    {
        var page = await db.ColdMemories.AsNoTracking().Where(c => c.BotId == botId)
            .OrderByDescending(c => c.PeriodEnd).ThenByDescending(c => c.Id)
            .Skip(paging.Offset).Take(paging.Limit)
            .Select(c => new ColdMemoryItem(
                c.Id, c.PeriodStart, c.PeriodEnd, c.Summary, c.ActivityCount, c.CreatedAt,
                c.Activity == null ? null : new SummaryActivity(c.Activity.Id, c.Activity.Action, c.Activity.Model, c.Activity.InputTokens + c.Activity.OutputTokens)))
            .ToListAsync(cancellationToken);
        return new Page<ColdMemoryItem>(page, total, paging.Limit, paging.Offset);
    }

    private sealed record MemoryCounts(int Facts, int Relationships, int Opinions, int Interests, int Cold);

    /// <summary>A warm item as the union reads it, with its category so the pages can be told apart.</summary>
    private sealed record WarmRow(
        long Id, MemoryCategory Category, string Subject, string Content, string? Source, int? AboutBotId, double Sentiment,
        double Importance, DateTime CreatedAt, DateTime UpdatedAt, long? ActivityId, string? ActivityAction, DateTime? ActivityAt)
    {
        public WarmMemoryItem ToItem() => new(
            Id, Subject, Content, Source, AboutBotId, Sentiment, Importance, CreatedAt, UpdatedAt,
            ActivityId is { } id && ActivityAction is not null ? new MemorySourceActivity(id, ActivityAction, ActivityAt!.Value) : null);
    }
}
