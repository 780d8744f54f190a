using System.Collections.Frozen;
using System.Globalization;
using BotSociety.Core.Bots;

namespace BotSociety.Core.Data;

/// <summary>A page of a list: its items, how many there are in all, and where the page starts.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Limit, int Offset);

/// <summary>Reads <c>limit</c> and <c>offset</c> query values the same way for every list endpoint.</summary>
public readonly record struct Paging(int Limit, int Offset)
{
    public const int MinLimit = 1;
    public const int MaxLimit = 200;

    /// <summary>The bounds <see cref="Parse"/> checks, by query parameter; the API document states them (ApiRules).</summary>
    public static IReadOnlyDictionary<string, FieldRule> Rules { get; } = new Dictionary<string, FieldRule>(StringComparer.Ordinal)
    {
        ["limit"] = FieldRule.Between(MinLimit, MaxLimit),
        ["offset"] = FieldRule.AtLeast(0),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Parses raw query values; errors name the offending parameter.</summary>
    public static (Paging Paging, IReadOnlyList<FieldError> Errors) Parse(string? limit, string? offset, int defaultLimit)
    {
        var errors = new List<FieldError>();
        var l = defaultLimit;
        var o = 0;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out l) || l is < MinLimit or > MaxLimit))
        {
            errors.Add(new("limit", $"must be a whole number from {MinLimit} to {MaxLimit}; got '{limit}'"));
        }

        if (offset is not null && (!int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out o) || o < 0))
        {
            errors.Add(new("offset", $"must be a whole number of 0 or more; got '{offset}'"));
        }

        return (new Paging(l, o), errors);
    }
}
