using BotSociety.DevHost.Settings;
using BotSociety.DevHost.Timers;

namespace BotSociety.DevHost.Tests.Unit;

public sealed class TimerScheduleTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SettingInScheduleResolvesFromValues()
    {
        var settings = new AppSettings(new Dictionary<string, string> { ["HeartbeatSchedule"] = "*/10 * * * * *" });

        var timer = TimerDefinition.From(TestFunctions.Timer("Heartbeat", "%HeartbeatSchedule%"), settings);

        Assert.Equal("*/10 * * * * *", timer.Schedule.Expression);
        Assert.Equal(Midnight.AddSeconds(10), timer.Schedule.NextAfter(Midnight.AddSeconds(3), TimeZoneInfo.Utc));
        Assert.Equal("timer", timer.BindingName);
        Assert.False(timer.RunOnStartup);
    }

    [Fact]
    public void SettingMissingFromValuesFallsBackToTheEnvironment()
    {
        var name = $"DevHostTestSchedule{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "0 0 * * * *");
        try
        {
            var timer = TimerDefinition.From(TestFunctions.Timer("Hourly", $"%{name}%"), new AppSettings(new Dictionary<string, string>()));

            Assert.Equal(Midnight.AddHours(1), timer.Schedule.NextAfter(Midnight, TimeZoneInfo.Utc));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void MissingSettingIsAStartupErrorNamingFunctionAndSetting()
    {
        var settings = new AppSettings(new Dictionary<string, string>());

        var error = Assert.Throws<DevHostStartupException>(() => TimerDefinition.From(TestFunctions.Timer("Heartbeat", "%NoSuchScheduleSetting%"), settings));

        Assert.Contains("'Heartbeat'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'NoSuchScheduleSetting'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidCronIsAStartupErrorNamingFunctionAndSetting()
    {
        var settings = new AppSettings(new Dictionary<string, string> { ["HeartbeatSchedule"] = "every ten seconds" });

        var error = Assert.Throws<DevHostStartupException>(() => TimerDefinition.From(TestFunctions.Timer("Heartbeat", "%HeartbeatSchedule%"), settings));

        Assert.Contains("'Heartbeat'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'HeartbeatSchedule'", error.Message, StringComparison.Ordinal);
        Assert.Contains("every ten seconds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FiveFieldCronIsRejectedBecauseTheHostReadsSecondsFirst()
    {
        var error = Assert.Throws<DevHostStartupException>(() => TimerSchedule.Resolve("Cleanup", "*/5 * * * *", _ => null));

        Assert.Contains("six-field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunOnStartupIsReadFromTheBinding()
    {
        var timer = TimerDefinition.From(TestFunctions.Timer("Warmup", "0 0 0 1 1 *", runOnStartup: true), new AppSettings(new Dictionary<string, string>()));

        Assert.True(timer.RunOnStartup);
    }

    [Fact]
    public void YearlyScheduleFindsItsNextOccurrenceMonthsAhead()
    {
        var schedule = TimerSchedule.Resolve("Yearly", "0 0 0 1 1 *", _ => null);

        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), schedule.NextAfter(Midnight.AddDays(3), TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("*/10 * * * * *", null, false)]
    [InlineData("* * * * * *", null, false)]
    [InlineData("0 * * * * *", null, true)]
    [InlineData("0 */5 * * * *", null, true)]
    [InlineData("0 0 * * * *", false, false)]
    public void ScheduleStatusIsKeptUnlessTheTimerFiresMoreThanOnceAMinuteOrOptsOut(string schedule, bool? useMonitor, bool kept)
    {
        var binding = useMonitor is null
            ? TestFunctions.Timer("Timer", schedule)
            : TestFunctions.MonitoredTimer("Timer", schedule, useMonitor.Value);

        Assert.Equal(kept, TimerDefinition.From(binding, new AppSettings(new Dictionary<string, string>())).UseMonitor);
    }
}
