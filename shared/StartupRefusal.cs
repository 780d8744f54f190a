using System.Text.RegularExpressions;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using Microsoft.Extensions.Options;

namespace BotSociety.Core;

/// <summary>
/// The one line an operator reads when the app cannot start: the setting, file or folder at fault and the cause, for
/// each failure that is theirs to fix (a bad setting, persona file or data folder, an unreachable database). Hosts
/// print it instead of a stack trace, which would only bury it.
/// </summary>
public static partial class StartupRefusal
{
    /// <summary>The line for <paramref name="exception"/>, or null when it is not a refusal (a defect: let it crash with its trace).</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        // Each failure reads "DataAnnotation validation failed for 'SocietyOptions' members: 'X' with the error: 'message'.";
        // the message already names the setting.
        OptionsValidationException options => string.Join("; ", options.Failures.Select(f => (AnnotationError().Match(f) is { Success: true } m ? m.Groups["message"].Value : f).TrimEnd('.'))),
        DatabaseStartupException or PersonaFileException => exception.Message,
        _ => null,
    };

    [GeneratedRegex(@"with the error: '(?<message>.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex AnnotationError();
}
