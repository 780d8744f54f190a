using System.Text.Json;
using System.Text.Json.Serialization;
using BotSociety.Core.Data;

namespace BotSociety.Core.Simulation;

/// <summary>
/// The one action a model answers with. Flat on purpose: weak models fill a flat object more reliably
/// than a polymorphic one, and its JSON schema stays small.
/// </summary>
public sealed record BotAction
{
    public required string Action { get; init; }
    public string? Topic { get; init; }
    public string? Title { get; init; }
    public string? Body { get; init; }
    public int? ThreadId { get; init; }
    public int? ParentPostId { get; init; }
    public string? TargetType { get; init; }
    public int? TargetId { get; init; }
    public string? Direction { get; init; }
    public int? BotId { get; init; }
    public string? Query { get; init; }
    public string? Reason { get; init; }
}

/// <summary>Reads a model's answer defensively: code fences, chatter around the JSON and stray casing are tolerated.</summary>
public static class ActionParser
{
    private static readonly JsonSerializerOptions Options = new(SocietyJson.Options)
    {
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>The action, or an error saying what was wrong with the answer.</summary>
    public static (BotAction? Action, string? Error) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "the model's answer was empty");
        }

        var start = text.IndexOf('{', StringComparison.Ordinal);
        var end = text.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            return (null, $"the model's answer holds no JSON object: {Excerpt(text)}");
        }

        try
        {
            var action = JsonSerializer.Deserialize<BotAction>(text.AsSpan(start, end - start + 1), Options);
            if (action is null || string.IsNullOrWhiteSpace(action.Action))
            {
                return (null, "the model's answer has no \"action\"");
            }

            var name = action.Action.Trim().ToLowerInvariant();
            return ActivityActions.ModelActions.Contains(name)
                ? (action with { Action = name }, null)
                : (null, $"unknown action '{Excerpt(action.Action)}'; expected one of {string.Join(", ", ActivityActions.ModelActions)}");
        }
        catch (JsonException ex)
        {
            return (null, $"the model's answer is not valid action JSON ({ex.Message}): {Excerpt(text)}");
        }
    }

    private static string Excerpt(string text) => TextCut.Cut(text, 120);
}
