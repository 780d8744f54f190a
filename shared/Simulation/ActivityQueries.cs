using System.Collections.Frozen;
using System.Text.Json;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Simulation;

/// <summary>
/// One row of the activity feed, as the API and the live stream show it. A society-wide row (a pace change) has no
/// bot; an operator's row names its <c>actor</c> and holds <c>before</c> and <c>after</c> in its details.
/// </summary>
public sealed record ActivityItem(
    long Id, string EventId, int? BotId, string? BotName, string Action, JsonElement Details,
    int InputTokens, int OutputTokens, int TokensUsed, double CostUsd, string? Model, DateTime Timestamp, string? Actor = null);

/// <summary>
/// Which rows of the feed to show: one bot's, one action's, only those in [<see cref="Since"/>, <see cref="Until"/>),
/// only the operator's actions (<see cref="Audit"/>: the audit trail); newest first unless <see cref="Ascending"/>
/// (a replay reads the log forward, page after page).
/// </summary>
public sealed record ActivityFilter(int? BotId = null, string? Action = null, DateTime? Since = null, bool Audit = false, DateTime? Until = null, bool Ascending = false)
{
    /// <summary>The values of <c>order</c>: <c>desc</c> (newest first, the default) or <c>asc</c>.</summary>
    public static readonly IReadOnlyList<string> Orders = ["desc", "asc"];

    /// <summary>The bounds <see cref="Parse"/> checks, by query parameter; the API document states them (ApiRules).</summary>
    public static IReadOnlyDictionary<string, FieldRule> Rules { get; } = new Dictionary<string, FieldRule>(StringComparer.Ordinal)
    {
        ["bot"] = FieldRule.Id,
        ["action"] = FieldRule.Choice(ActivityActions.All),
        ["order"] = FieldRule.Choice(Orders),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Parses raw query values (<c>bot</c>, <c>action</c>, <c>since</c>, <c>audit</c>, <c>until</c>, <c>order</c>);
    /// errors name the offending parameter.
    /// </summary>
    public static (ActivityFilter Filter, IReadOnlyList<FieldError> Errors) Parse(
        string? bot, string? action, string? since, string? audit = null, string? until = null, string? order = null)
    {
        var errors = new List<FieldError>();
        var botId = QueryValues.BotId("bot", bot, errors);

        if (!string.IsNullOrEmpty(action) && !ActivityActions.All.Contains(action))
        {
            errors.Add(new("action", $"must be one of {string.Join(", ", ActivityActions.All)}; got '{action}'"));
        }

        var from = QueryValues.Instant("since", since, errors);
        var to = QueryValues.Instant("until", until, errors);
        if (from is { } start && to is { } end && end <= start)
        {
            errors.Add(new("until", $"must be later than since ({start:O}); got '{until}'"));
        }

        if (!string.IsNullOrEmpty(order) && !Orders.Contains(order))
        {
            errors.Add(new("order", $"must be asc or desc; got '{order}'"));
        }

        var onlyAudit = false;
        if (!string.IsNullOrEmpty(audit) && !bool.TryParse(audit, out onlyAudit))
        {
            errors.Add(new("audit", $"must be true or false; got '{audit}'"));
        }

        return (new ActivityFilter(botId, string.IsNullOrEmpty(action) ? null : action, from, onlyAudit, to, order == "asc"), errors);
    }

}

/// <summary>Read side of the activity log for the API.</summary>
public sealed class ActivityQueries(IDbContextFactory<BotSocietyDb> dbFactory)
{
    /// <summary>Newest first (oldest first when the filter says so); <c>total</c> counts the rows the filter keeps.</summary>
    public async Task<Page<ActivityItem>> ListAsync(Paging paging, ActivityFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var log = db.ActivityLog.AsNoTracking();
        if (filter.BotId is { } botId)
        {
            log = log.Where(a => a.BotId == botId);
        }

        if (filter.Action is { } action)
        {
            log = log.Where(a => a.Action == action);
        }

        if (filter.Since is { } since)
        {
            log = log.Where(a => a.CreatedAt >= since);
        }

        if (filter.Until is { } until)
        {
            log = log.Where(a => a.CreatedAt < until);
        }

        if (filter.Audit)
        {
            log = log.Where(a => ActivityActions.Operator.Contains(a.Action));
        }

        // Without a time filter the total comes from the counts kept beside the log: counting a million rows is slow.
        // The society's own rows (operator actions, alerts) are not in those counts; they are few and counted here.
        var countsCover = filter.Since is null && filter.Until is null && !filter.Audit && (filter.Action is null || ActivityActions.OfBots.Contains(filter.Action));
        var total = countsCover
            ? (int)await db.ActivityCounts
                .Where(c => (filter.BotId == null || c.BotId == filter.BotId) && (filter.Action == null || c.Action == filter.Action))
                .SumAsync(c => c.Count, cancellationToken)
              + (filter.Action is null ? await log.Where(a => ActivityActions.Society.Contains(a.Action)).CountAsync(cancellationToken) : 0)
            : await log.CountAsync(cancellationToken);
        // Both orders end on the id, so a page boundary between rows of one moment is the same on every read.
        var ordered = filter.Ascending
            ? log.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
            : log.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id);
        var rows = await Rows(ordered.Skip(paging.Offset).Take(paging.Limit))
            .ToListAsync(cancellationToken);
        return new Page<ActivityItem>([.. rows.Select(r => r.ToItem())], total, paging.Limit, paging.Offset);
    }

    /// <summary>One row of the log by its id; null when there is none (or it was pruned).</summary>
    public async Task<ActivityItem?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await Rows(db.ActivityLog.AsNoTracking().Where(a => a.Id == id)).SingleOrDefaultAsync(cancellationToken);
        return row?.ToItem();
    }

    private static IQueryable<Row> Rows(IQueryable<ActivityLogEntry> log) =>
        log.Select(a => new Row(a.Id, a.EventId, a.BotId, a.Bot == null ? null : a.Bot.Name, a.Action, a.Details, a.InputTokens, a.OutputTokens, a.CostUsd, a.Model, a.CreatedAt, a.Actor));

    /// <summary>A row as read: the details stay text until the item is made, outside the query.</summary>
    private sealed record Row(
        long Id, string EventId, int? BotId, string? BotName, string Action, string Details,
        int InputTokens, int OutputTokens, double CostUsd, string? Model, DateTime CreatedAt, string? Actor)
    {
        public ActivityItem ToItem() => new(
            Id, EventId, BotId, BotName, Action, ParseDetails(Details),
            InputTokens, OutputTokens, InputTokens + OutputTokens, CostUsd, Model, CreatedAt, Actor);
    }

    /// <summary>The details column as JSON; the document is disposed so its pooled buffers go back.</summary>
    private static JsonElement ParseDetails(string details)
    {
        using var document = JsonDocument.Parse(details);
        return document.RootElement.Clone();
    }
}
