namespace BotSociety.Core.Simulation;

/// <summary>The society-wide state that must survive restarts: pace, seed and tick count (a single row).</summary>
public sealed class SocietySettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    public Pace Pace { get; set; } = Pace.Normal;
    public long Seed { get; set; }
    public long TickCount { get; set; }

    /// <summary>When the pace last changed (or the society was made): <c>updated_at</c> of <c>/api/pace</c>. A tick leaves it.</summary>
    public DateTime UpdatedAt { get; set; }

    /// <summary>Live events given up after every retry failed (<see cref="Realtime.EventOutbox"/>), since the society began.</summary>
    public long EventsLost { get; set; }
}

/// <summary>How often bots act. An active bot's mean interval is the pace's; reactive and observer bots wait longer.</summary>
public enum Pace
{
    Paused,
    Slow,
    Normal,
    Fast,
}

/// <summary>Pace arithmetic, in one place so the engine and the API agree.</summary>
public static class PaceSchedule
{
    /// <summary>Mean seconds between an active bot's heartbeats at this pace.</summary>
    public static int IntervalSeconds(Pace pace) => pace switch
    {
        Pace.Slow => 300,
        Pace.Normal => 60,
        Pace.Fast => 15,
        _ => 0,
    };

    /// <summary>Engagement style stretches the interval: observers look in a quarter as often as active bots.</summary>
    public static double EngagementFactor(string engagementStyle) => engagementStyle switch
    {
        "reactive" => 2.0,
        "observer" => 4.0,
        _ => 1.0,
    };

    public static Pace Parse(string value) => Enum.Parse<Pace>(value, ignoreCase: true);
}
