namespace BotSociety.Core.Data;

/// <summary>The one rule for shortening bot text: excerpts in activity, feeds and lists all cut the same way.</summary>
public static class TextCut
{
    /// <summary>The length of an excerpt of a thread or post body.</summary>
    public const int ExcerptLength = 140;

    /// <summary><paramref name="text"/> itself when it fits in <paramref name="max"/> characters, else its start and an ellipsis.</summary>
    public static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        // Never cut between the two halves of a surrogate pair (an emoji, say).
        var cut = char.IsHighSurrogate(text[max - 2]) ? max - 2 : max - 1;
        return text[..cut] + "…";
    }

    public static string Excerpt(string text) => Cut(text, ExcerptLength);
}
