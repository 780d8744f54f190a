using System.Text.RegularExpressions;
using BotSociety.DevHost.Settings;
using NCrontab;

namespace BotSociety.DevHost.Timers;

/// <summary>
/// A timer's NCRONTAB schedule as the Functions host reads it: six fields with seconds first, and
/// <c>%Setting%</c> tokens replaced by app settings before parsing.
/// </summary>
internal sealed partial class TimerSchedule
{
    private static readonly CrontabSchedule.ParseOptions SixFields = new() { IncludingSeconds = true };

    private readonly CrontabSchedule cron;

    private TimerSchedule(string expression, CrontabSchedule cron)
    {
        Expression = expression;
        this.cron = cron;
    }

    /// <summary>The expression after settings were resolved, e.g. <c>*/10 * * * * *</c>.</summary>
    public string Expression { get; }

    /// <summary>Resolves and parses <paramref name="declared"/>; every error names the function, and the setting when one is involved.</summary>
    /// <param name="functionName">The timer function, for error messages.</param>
    /// <param name="declared">The schedule as the binding declares it, e.g. <c>%HeartbeatSchedule%</c>.</param>
    /// <param name="settings">Looks an app setting up; null when it is not set.</param>
    /// <exception cref="DevHostStartupException">A setting is missing or the expression is not valid.</exception>
    public static TimerSchedule Resolve(string functionName, string? declared, Func<string, string?> settings)
    {
        if (string.IsNullOrWhiteSpace(declared))
        {
            throw new DevHostStartupException($"timer function '{functionName}' declares no schedule");
        }

        var settingNames = new List<string>();
        var expression = SettingToken().Replace(declared, match =>
        {
            var name = match.Groups["name"].Value;
            settingNames.Add(name);
            return settings(name) ?? throw new DevHostStartupException(
                $"timer function '{functionName}': its schedule '{declared}' names app setting '{name}', which is set neither in the Values of local.settings.json nor in the environment");
        }).Trim();

        var cron = CrontabSchedule.TryParse(expression, SixFields);
        if (cron is null)
        {
            var source = settingNames.Count == 0 ? "" : $" (from app setting '{string.Join("', '", settingNames)}')";
            throw new DevHostStartupException(
                $"timer function '{functionName}': schedule '{expression}'{source} is not a valid six-field NCRONTAB expression (second minute hour day month day-of-week, e.g. \"0 */5 * * * *\")");
        }

        return new TimerSchedule(expression, cron);
    }

    /// <summary>
    /// True for a schedule like <c>*/10 * * * * *</c>: every field but the seconds is a wildcard and it fires more
    /// than once in a minute (the Timers extension's ShouldDisableScheduleMonitor).
    /// </summary>
    public bool FiresMoreThanOnceAMinute
    {
        get
        {
            if (!Expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).All(f => f == "*"))
            {
                return false;
            }

            var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
            return cron.GetNextOccurrences(start, start.AddMinutes(1)).Skip(1).Any();
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="instant"/>, in wall-clock time of <paramref name="zone"/>; null when the schedule never fires.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var candidate = TimeZoneInfo.ConvertTime(instant, zone).DateTime;

        // A time that a daylight-saving jump skips does not exist on the wall clock; take the next one that does.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            candidate = cron.GetNextOccurrence(candidate);
            if (candidate == DateTime.MaxValue)
            {
                return null;
            }

            if (!zone.IsInvalidTime(candidate))
            {
                return new DateTimeOffset(candidate, zone.GetUtcOffset(candidate));
            }
        }

        return null;
    }

    [GeneratedRegex("%(?<name>[^%\\s]+)%")]
    private static partial Regex SettingToken();
}
