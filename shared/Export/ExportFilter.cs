using System.Globalization;
using BotSociety.Core.Bots;
using BotSociety.Core.Simulation;

namespace BotSociety.Core.Export;

/// <summary>Which rows of a table an export holds: at or after <c>since</c>, before <c>until</c>, of one bot.</summary>
public sealed record ExportFilter(DateTime? Since = null, DateTime? Until = null, int? BotId = null)
{
    /// <summary>Parses the query values; each error names its parameter.</summary>
    public static (ExportFilter Filter, IReadOnlyList<FieldError> Errors) Parse(string? since, string? until, string? botId)
    {
        var errors = new List<FieldError>();
        var from = Instant("since", since, errors);
        var to = Instant("until", until, errors);
        int? bot = null;
        if (!string.IsNullOrEmpty(botId))
        {
            if (int.TryParse(botId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                bot = id;
            }
            else
            {
                errors.Add(new("bot_id", $"must be a numeric id; got '{botId}'"));
            }
        }

        if (from is { } a && to is { } b && b < a)
        {
            errors.Add(new("until", "must not be before since"));
        }

        return (new ExportFilter(from, to, bot), errors);
    }

    private static DateTime? Instant(string field, string? text, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (ActivityFilter.TryParseInstant(text, out var utc))
        {
            return utc;
        }

        errors.Add(new(field, $"must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z; got '{text}'"));
        return null;
    }
}
