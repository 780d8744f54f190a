using System.Text.RegularExpressions;

namespace BotSociety.DevHost.Settings;

/// <summary>
/// <c>%Setting%</c> in a binding property, replaced by the app setting of that name as the host's name resolver
/// does (ResolveWholeString): every token, anywhere in the text.
/// </summary>
internal static partial class SettingTokens
{
    /// <summary>Replaces every token; <paramref name="missing"/> makes the error for a setting that is not set.</summary>
    public static string Resolve(string text, Func<string, string?> settings, Func<string, Exception> missing) =>
        Token().Replace(text, match => settings(match.Groups["name"].Value) ?? throw missing(match.Groups["name"].Value));

    [GeneratedRegex("%(?<name>[^%\\s]+)%")]
    private static partial Regex Token();
}
