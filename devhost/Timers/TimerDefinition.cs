using BotSociety.DevHost.Settings;
using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Timers;

/// <summary>A timer-triggered function with its resolved schedule.</summary>
internal sealed record TimerDefinition(string FunctionName, string BindingName, TimerSchedule Schedule, bool RunOnStartup)
{
    public const string TriggerType = "timerTrigger";

    /// <exception cref="DevHostStartupException">The schedule names a missing setting or does not parse.</exception>
    public static TimerDefinition From(WorkerFunction function, AppSettings settings)
    {
        var trigger = function.Trigger ?? throw new DevHostStartupException($"function '{function.Name}' has no trigger binding");
        var schedule = TimerSchedule.Resolve(function.Name, trigger.GetString("schedule"), name => settings[name]);
        return new TimerDefinition(function.Name, trigger.Name, schedule, trigger.GetBoolean("runOnStartup"));
    }
}
