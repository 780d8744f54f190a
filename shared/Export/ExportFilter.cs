using BotSociety.Core.Bots;
using BotSociety.Core.Data;

namespace BotSociety.Core.Export;

/// <summary>Which rows of a table an export holds: at or after <c>since</c>, before <c>until</c>, of one bot.</summary>
public sealed record ExportFilter(DateTime? Since = null, DateTime? Until = null, int? BotId = null)
{
    /// <summary>Parses the query values; each error names its parameter.</summary>
    public static (ExportFilter Filter, IReadOnlyList<FieldError> Errors) Parse(string? since, string? until, string? botId)
    {
        var errors = new List<FieldError>();
        var from = QueryValues.Instant("since", since, errors);
        var to = QueryValues.Instant("until", until, errors);
        var bot = QueryValues.BotId("bot_id", botId, errors);

        if (from is { } a && to is { } b && b < a)
        {
            errors.Add(new("until", "must not be before since"));
        }

        return (new ExportFilter(from, to, bot), errors);
    }
}
