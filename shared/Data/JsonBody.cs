using System.Globalization;
using System.Text.Json;
using BotSociety.Core.Bots;

namespace BotSociety.Core.Data;

/// <summary>
/// A write request's JSON body, read strictly: it must be one object whose members are all known, and every
/// reader names its field in the error it adds, so a client learns everything wrong with a request at once.
/// </summary>
public sealed class JsonBody
{
    private readonly JsonElement root;
    private readonly List<FieldError> errors;

    private JsonBody(JsonElement root, List<FieldError> errors)
    {
        this.root = root;
        this.errors = errors;
    }

    /// <summary>What is wrong so far: the body's own errors, then each field reader's.</summary>
    public IReadOnlyList<FieldError> Errors => errors;

    public bool IsValid => errors.Count == 0;

    /// <summary>Parses <paramref name="body"/>; malformed JSON is an error of <c>body</c>, an unknown member an error of its own name.</summary>
    public static async Task<JsonBody> ReadAsync(Stream body, IReadOnlyCollection<string> fields, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, default, cancellationToken);
        }
        catch (JsonException ex)
        {
            errors.Add(new("body", $"must be a JSON object; {ex.Message}"));
            return new JsonBody(default, errors);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new("body", $"must be a JSON object; got {Describe(document.RootElement)}"));
                return new JsonBody(default, errors);
            }

            // Every name and string must be text before any reader looks: JSON may carry bytes that are not UTF-8, or a
            // lone surrogate escaped as \ud800, which reading threw on (a 500) or stored as U+FFFD.
            var broken = new List<FieldError>();
            FindBrokenText(document.RootElement, "", broken);
            if (broken.Count > 0)
            {
                return new JsonBody(default, broken);
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!fields.Contains(property.Name))
                {
                    errors.Add(new(property.Name, $"is not a known field; expected {string.Join(", ", fields)}"));
                }
                else if (!seen.Add(property.Name))
                {
                    errors.Add(new(property.Name, "appears more than once"));
                }
            }

            return new JsonBody(document.RootElement.Clone(), errors);
        }
    }

    private const string NotText = "is not valid text: it holds bytes that are not UTF-8, or half of a surrogate pair (\\ud800-\\udfff alone)";

    /// <summary>Adds an error for each member name and string under <paramref name="path"/> that cannot be read as text.</summary>
    private static void FindBrokenText(JsonElement element, string path, List<FieldError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        errors.Add(new(path.Length == 0 ? "body" : path, $"has a member name that {NotText}"));
                        continue;
                    }

                    FindBrokenText(property.Value, path.Length == 0 ? name : $"{path}.{name}", errors);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    FindBrokenText(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), errors);
                }

                break;
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                }
                catch (InvalidOperationException)
                {
                    errors.Add(new(path, NotText));
                }

                break;
        }
    }

    /// <summary>A required string member; null when absent or not a string (the error is recorded).</summary>
    public string? RequiredString(string field) =>
        Required(field) is { } value
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : Fail<string>(field, $"must be a string; got {Describe(value)}")
            : null;

    /// <summary>A member that must be present and is either null or a whole number of at least <paramref name="min"/>.</summary>
    public bool TryRequiredNullableInt64(string field, long min, out long? value)
    {
        value = null;
        if (Required(field) is not { } element)
        {
            return false;
        }

        if (element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var number))
        {
            errors.Add(new(field, $"must be a whole number or null; got {Describe(element)}"));
            return false;
        }

        if (number < min)
        {
            errors.Add(new(field, string.Create(CultureInfo.InvariantCulture, $"must be at least {min} or null; got {number}")));
            return false;
        }

        value = number;
        return true;
    }

    /// <summary>A member that must be present and is either null or a number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public bool TryRequiredNullableDouble(string field, double min, double max, out double? value)
    {
        value = null;
        if (Required(field) is not { } element)
        {
            return false;
        }

        if (element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            errors.Add(new(field, $"must be a number or null; got {Describe(element)}"));
            return false;
        }

        if (number < min || number > max)
        {
            errors.Add(new(field, string.Create(CultureInfo.InvariantCulture, $"must be from {min} to {max} or null; got {number}")));
            return false;
        }

        value = number;
        return true;
    }

    /// <summary>An optional member that must be an object when present; null when absent or not an object (the error is recorded).</summary>
    public JsonElement? OptionalObject(string field)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(field, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : FailMember(field, $"must be an object; got {Describe(value)}");
    }

    /// <summary>Records an error found by a caller that reads inside a member, such as <c>behavior.skepticism</c>.</summary>
    public void AddError(string field, string message) => errors.Add(new(field, message));

    /// <summary>How a value reads in an error message: "a string", "the number 3".</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private JsonElement? FailMember(string field, string message)
    {
        errors.Add(new(field, message));
        return null;
    }

    private JsonElement? Required(string field)
    {
        // A body that is not an object has its one error already; its fields are not reported as missing too.
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (root.TryGetProperty(field, out var value))
        {
            return value;
        }

        errors.Add(new(field, "is required"));
        return null;
    }

    private T? Fail<T>(string field, string message)
        where T : class
    {
        errors.Add(new(field, message));
        return null;
    }
}
