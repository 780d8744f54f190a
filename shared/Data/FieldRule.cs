namespace BotSociety.Core.Data;

/// <summary>
/// What one field of a request accepts, as its validator or parser checks it: a number's range, a text's length and
/// pattern, a list's size, a fixed set of choices. Each validator keeps its rules in a table keyed by the field's name
/// (a query parameter, or a body member's JSON path such as <c>behavior.skepticism</c>), and the API document states
/// the same table (functions/OpenApi/ApiRules.cs), so a bound changed in one place changes both.
/// </summary>
public sealed record FieldRule
{
    /// <summary>The least number accepted.</summary>
    public double? Minimum { get; init; }

    /// <summary>The greatest number accepted.</summary>
    public double? Maximum { get; init; }

    public int? MinLength { get; init; }

    public int? MaxLength { get; init; }

    /// <summary>A regular expression (ECMA 262, as JSON Schema reads it) that the text must contain a match of.</summary>
    public string? Pattern { get; init; }

    public int? MinItems { get; init; }

    public int? MaxItems { get; init; }

    /// <summary>The only values accepted.</summary>
    public IReadOnlyList<string>? OneOf { get; init; }

    /// <summary>The rule of each item of a list.</summary>
    public FieldRule? Items { get; init; }

    /// <summary>Every numeric id is read as digits only, so none is negative.</summary>
    public static FieldRule Id { get; } = new() { Minimum = 0 };

    /// <summary>A number from <paramref name="minimum"/> to <paramref name="maximum"/>, both included.</summary>
    public static FieldRule Between(double minimum, double maximum) => new() { Minimum = minimum, Maximum = maximum };

    /// <summary>A number of at least <paramref name="minimum"/>.</summary>
    public static FieldRule AtLeast(double minimum) => new() { Minimum = minimum };

    /// <summary>One of <paramref name="values"/>.</summary>
    public static FieldRule Choice(IReadOnlyList<string> values) => new() { OneOf = values };

    /// <summary>Whether <paramref name="value"/> is within the range (a rule without one takes any number).</summary>
    public bool InRange(double value) => !(value < Minimum) && !(value > Maximum);

    /// <summary>Whether <paramref name="value"/> is one of the choices (a rule without choices takes any).</summary>
    public bool Allows(string value) => OneOf is null || OneOf.Contains(value, StringComparer.Ordinal);
}
