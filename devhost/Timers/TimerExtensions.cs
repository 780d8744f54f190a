namespace BotSociety.DevHost.Timers;

/// <summary>Registers the timer scheduler, shared by the schedule and the admin API.</summary>
internal static class TimerExtensions
{
    public static WebApplicationBuilder AddFunctionTimers(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TimerScheduler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TimerScheduler>());
        return builder;
    }
}
