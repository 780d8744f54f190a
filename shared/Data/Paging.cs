using System.Globalization;
using BotSociety.Core.Bots;

namespace BotSociety.Core.Data;

/// <summary>A page of a list: its items, how many there are in all, and where the page starts.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Limit, int Offset);

/// <summary>Reads <c>limit</c> and <c>offset</c> query values the same way for every list endpoint.</summary>
public readonly record struct Paging(int Limit, int Offset)
{
    public const int MaxLimit = 200;

    /// <summary>Parses raw query values; errors name the offending parameter.</summary>
    public static (Paging Paging, IReadOnlyList<FieldError> Errors) Parse(string? limit, string? offset, int defaultLimit)
    {
        var errors = new List<FieldError>();
        var l = defaultLimit;
        var o = 0;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out l) || l is < 1 or > MaxLimit))
        {
            errors.Add(new("limit", $"must be a whole number from 1 to {MaxLimit}; got '{limit}'"));
        }

        if (offset is not null && (!int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out o) || o < 0))
        {
            errors.Add(new("offset", $"must be a whole number of 0 or more; got '{offset}'"));
        }

        return (new Paging(l, o), errors);
    }
}
