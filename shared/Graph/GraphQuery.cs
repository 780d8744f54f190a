using BotSociety.Core.Bots;
using BotSociety.Core.Data;

namespace BotSociety.Core.Graph;

/// <summary>
/// A validated graph request: interactions are counted in [<see cref="Since"/>, <see cref="AsOf"/>), and follows,
/// feelings and reputation are those of <see cref="AsOf"/> (now when it is null).
/// </summary>
public sealed record GraphQuery(DateTime? Since = null, DateTime? AsOf = null)
{
    /// <summary>Parses <c>since</c> and <c>as_of</c> (ISO 8601); errors name the offending parameter.</summary>
    public static (GraphQuery Query, IReadOnlyList<FieldError> Errors) Parse(string? since, string? asOf)
    {
        var errors = new List<FieldError>();
        var from = QueryValues.Instant("since", since, errors);
        var at = QueryValues.Instant("as_of", asOf, errors);
        if (from is { } start && at is { } end && end <= start)
        {
            errors.Add(new("as_of", $"must be later than since ({start:O}); got '{asOf}'"));
        }

        return (new GraphQuery(from, at), errors);
    }
}
