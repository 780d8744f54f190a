using BotSociety.DevHost.Settings;
using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Timers;

/// <summary>A timer-triggered function with its resolved schedule.</summary>
/// <param name="FunctionName">The function, as the worker names it.</param>
/// <param name="BindingName">The trigger binding's name, which its input data must carry.</param>
/// <param name="Schedule">The schedule, settings resolved.</param>
/// <param name="RunOnStartup">Whether it also runs when its schedule starts (devhost starts, or takes the timer's lease).</param>
/// <param name="UseMonitor">
/// Whether its schedule status is kept in storage to catch a missed occurrence: the binding's <c>useMonitor</c>
/// (default true), off for schedules that fire more than once a minute, as the Timers extension decides.
/// </param>
internal sealed record TimerDefinition(string FunctionName, string BindingName, TimerSchedule Schedule, bool RunOnStartup, bool UseMonitor = false)
{
    public const string TriggerType = "timerTrigger";

    /// <exception cref="DevHostStartupException">The schedule names a missing setting or does not parse.</exception>
    public static TimerDefinition From(WorkerFunction function, AppSettings settings)
    {
        var trigger = function.Trigger ?? throw new DevHostStartupException($"function '{function.Name}' has no trigger binding");
        var schedule = TimerSchedule.Resolve(function.Name, trigger.GetString("schedule"), name => settings[name]);
        return new TimerDefinition(
            function.Name, trigger.Name, schedule, trigger.GetBoolean("runOnStartup"), trigger.GetBoolean("useMonitor", fallback: true) && !schedule.FiresMoreThanOnceAMinute);
    }
}
