using BotSociety.Core;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Memory;
using BotSociety.Core.Simulation;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace BotSociety.Bench;

/// <summary>
/// Runs the real society (the same composition as every host) on a virtual clock: the heartbeat timer's
/// 10-second ticks and the hourly compression happen in simulated time, as fast as the machine allows.
/// </summary>
internal sealed class SocietyRunner : IAsyncDisposable
{
    public static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan CompressionInterval = TimeSpan.FromHours(1);

    private readonly IHost host;

    // The clock's own context, open for the whole run: it asks one question per tick, as one prepared statement.
    private BotSocietyDb? clockDb;
    private System.Data.Common.DbCommand? nextDue;

    private SocietyRunner(IHost host, FakeTimeProvider clock)
    {
        this.host = host;
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }
    public HeartbeatEngine Engine => host.Services.GetRequiredService<HeartbeatEngine>();
    public MemoryCompressor Compressor => host.Services.GetRequiredService<MemoryCompressor>();
    public BotSocietyDb Db() => host.Services.GetRequiredService<IDbContextFactory<BotSocietyDb>>().CreateDbContext();

    /// <summary>A service of the society's own composition, for a benchmark of one core feature.</summary>
    public T Service<T>()
        where T : notnull => host.Services.GetRequiredService<T>();

    public static async Task<SocietyRunner> StartAsync(BenchDatabase database, long seed, string pace, DateTimeOffset start, long? tokenCap = null)
    {
        var clock = new FakeTimeProvider(start);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(database.Settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Society:Seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Society:InitialPace"] = pace,
            ["Usage:DefaultDailyTokenCap"] = (tokenCap ?? new UsageOptions().DefaultDailyTokenCap).ToString(System.Globalization.CultureInfo.InvariantCulture),

            // The webhook sender polls every few simulated seconds, which on this clock is every tick: two queries a tick
            // for deliveries that a new society never has. A fired alert still wakes it at once.
            ["Alerts:WebhookPollSeconds"] = "3600",
        });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddBotSocietyCore();
        var host = builder.Build();
        await host.StartAsync();
        var runner = new SocietyRunner(host, clock);
        await using var db = runner.Db();
        if (await db.ActivityLog.AnyAsync())
        {
            await runner.DisposeAsync();
            throw new ArgumentException($"{database.Describe} already holds a society's history; a bench run writes a new one.");
        }

        return runner;
    }

    /// <summary>
    /// Grows the society to <paramref name="total"/> bots: the shipped personas, then people generated for the seed
    /// (PersonaCatalog.People), first heartbeats spread over two minutes, as a large run would start.
    /// </summary>
    public async Task GrowToAsync(int total, long seed)
    {
        await using var db = Db();
        var personas = host.Services.GetRequiredService<PersonaCatalog>().People(total, seed);
        var count = await db.Bots.CountAsync();
        var now = Clock.GetUtcNow().UtcDateTime;
        var batch = new List<Bot>();
        for (var n = count; n < total; n++)
        {
            var random = new Random(unchecked((int)SeedMixer.For(seed, n, 0)));
            var bot = DatabaseInitializer.NewBot(personas[n], now, 0);
            bot.NextHeartbeatAt = now.AddSeconds(random.NextDouble() * 120);
            batch.Add(bot);
            if (batch.Count == 1000)
            {
                await FlushAsync(db, batch);
            }
        }

        await FlushAsync(db, batch);
    }

    private static async Task FlushAsync(BotSocietyDb db, List<Bot> batch)
    {
        db.Bots.AddRange(batch);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        batch.Clear();
    }

    /// <summary>Moves the clock to the next 10-second tick at which some bot is due, skipping ticks that would find nobody.</summary>
    public async Task<bool> AdvanceToNextDueTickAsync(DateTimeOffset until)
    {
        if (nextDue is null)
        {
            clockDb = Db();
            await clockDb.Database.OpenConnectionAsync();

            // Plain SQL, kept prepared for the run: through EF the question cost a translation and a new statement per tick.
            nextDue = clockDb.Database.GetDbConnection().CreateCommand();
            nextDue.CommandText = "SELECT min(next_heartbeat_at) FROM bots WHERE is_paused = @paused";
            var paused = nextDue.CreateParameter();
            paused.ParameterName = "@paused";
            paused.Value = false;
            nextDue.Parameters.Add(paused);
        }

        DateTime? next = null;
        await using (var reader = await nextDue.ExecuteReaderAsync())
        {
            if (await reader.ReadAsync() && !reader.IsDBNull(0))
            {
                next = reader.GetDateTime(0);
            }
        }

        var now = Clock.GetUtcNow();
        var target = now + TickInterval;
        if (next is { } due && due > target.UtcDateTime)
        {
            var ticks = Math.Ceiling((due - now.UtcDateTime) / TickInterval);
            target = now + (TickInterval * ticks);
        }

        if (target > until)
        {
            return false;
        }

        Clock.SetUtcNow(target);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (nextDue is not null)
        {
            await nextDue.DisposeAsync();
        }

        if (clockDb is not null)
        {
            await clockDb.DisposeAsync();
        }

        await host.StopAsync();
        host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }
}
