using System.Globalization;
using BotSociety.Core.Bots;

namespace BotSociety.Core.Data;

/// <summary>
/// The API's optional query values (ids and instants), read the same way by every endpoint. A missing value is null; a
/// bad one is null too and adds an error naming its parameter, so one problem details answer lists every bad value.
/// </summary>
public static class QueryValues
{
    /// <summary>A bot's id (digits only: no sign, no spaces).</summary>
    public static int? BotId(string field, string? text, List<FieldError> errors) => Id(field, text, errors, "a bot's numeric id");

    /// <summary>A row's id (a thread's, a post's).</summary>
    public static int? Id(string field, string? text, List<FieldError> errors) => Id(field, text, errors, "a numeric id");

    /// <summary>An ISO 8601 date-time, as UTC.</summary>
    public static DateTime? Instant(string field, string? text, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (TryParseInstant(text, out var instant))
        {
            return instant;
        }

        errors.Add(new(field, $"must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z; got '{text}'"));
        return null;
    }

    /// <summary>An ISO 8601 date-time as UTC; one without an offset is taken as UTC.</summary>
    public static bool TryParseInstant(string text, out DateTime utc)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            utc = parsed.UtcDateTime;
            return true;
        }

        utc = default;
        return false;
    }

    private static int? Id(string field, string? text, List<FieldError> errors, string what)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }

        errors.Add(new(field, $"must be {what}; got '{text}'"));
        return null;
    }
}
