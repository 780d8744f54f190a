using BotSociety.Core.Bots;
using BotSociety.Core.Data.Dialects;
using BotSociety.Core.Reputation;
using BotSociety.Core.Search;
using BotSociety.Core.Simulation;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Data;

/// <summary>
/// Makes the database ready before anything else runs: applies migrations, turns on WAL, creates the
/// society settings, adds a bot for every persona file that has none yet, and indexes the search corpus.
/// A bad persona file stops start here, with a message naming the file and the field.
/// </summary>
public sealed partial class DatabaseInitializer(
    IDbContextFactory<BotSocietyDb> dbFactory,
    SqlDialect dialect,
    IOptions<DatabaseOptions> databaseOptions,
    PersonaCatalog personas,
    TimeProvider time,
    IOptions<SocietyOptions> societyOptions,
    IOptions<UsageOptions> usageOptions,
    ILogger<DatabaseInitializer> logger)
{
    private readonly Lock gate = new();
    private Task? initialization;

    /// <summary>Runs once per process; later calls (a host that also starts the hosted service) share the first run.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return initialization ??= RunAsync(cancellationToken);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        // Read the personas first: a broken file should fail start before the database is touched.
        var catalog = personas.LoadAll();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        try
        {
            // The history table first, as its provider writes it when missing: reading a history that is not there
            // yet made EF Core log a failed command on every new PostgreSQL database, which reads like a fault.
            await using (await dialect.LockMigrationsAsync(db, cancellationToken))
            {
                await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
                await db.Database.MigrateAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (dialect.IsUnreachable(ex))
        {
            throw new DatabaseStartupException(dialect.DescribeUnreachable(ex, databaseOptions.Value), ex);
        }

        await dialect.PrepareAsync(db, cancellationToken);

        // Instances of the app may start side by side on one PostgreSQL: the first to take the writers' lock seeds the
        // society, and the others, after it commits, find its bots and its index instead of adding them again.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await dialect.LockWritersAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var settings = await db.SocietySettings.FindAsync([SocietySettings.SingletonId], cancellationToken);
        if (settings is null)
        {
            settings = new SocietySettings
            {
                Seed = societyOptions.Value.Seed,
                Pace = PaceSchedule.Parse(societyOptions.Value.InitialPace),
                UpdatedAt = now,
            };
            db.SocietySettings.Add(settings);
        }

        var existing = await db.Bots.Select(b => b.PersonaKey).ToListAsync(cancellationToken);
        var added = 0;
        var people = societyOptions.Value.BotCount is { } count ? personas.People(count, settings.Seed) : catalog;
        foreach (var persona in people.Where(p => !existing.Contains(p.Key)))
        {
            db.Bots.Add(NewBot(persona, now, added));
            added++;
        }

        var woken = await WakeBotsNoLongerCappedAsync(db, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var indexed = await OfflineCorpusSearch.EnsureIndexedAsync(db, dialect, transaction.GetDbTransaction(), cancellationToken);
        var backfilled = await ReadModelBackfill.EnsureAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (backfilled > 0)
        {
            LogBackfilled(backfilled);
        }

        LogReady(added, indexed, woken);
    }

    /// <summary>
    /// A capped bot sleeps until midnight UTC. If the caps were raised in the settings since (a restart is how
    /// settings change), the bots they no longer cap act on the next tick instead of waiting for tomorrow.
    /// </summary>
    private async Task<int> WakeBotsNoLongerCappedAsync(BotSocietyDb db, DateTime now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now);
        var sleeping = await db.Bots.Where(b => b.CappedOn == today && b.NextHeartbeatAt > now).ToListAsync(ct);
        if (sleeping.Count == 0)
        {
            return 0;
        }

        var ids = sleeping.Select(b => b.Id).ToList();
        var usage = await db.DailyUsage.AsNoTracking().Where(u => u.Day == today && ids.Contains(u.BotId)).ToDictionaryAsync(u => u.BotId, ct);
        var woken = 0;
        foreach (var bot in sleeping.Where(b => !UsageCaps.Evaluate(b, usage.GetValueOrDefault(b.Id), usageOptions.Value).IsCapped))
        {
            bot.NextHeartbeatAt = now;
            woken++;
        }

        return woken;
    }

    /// <summary>A bot as its persona defines it; first heartbeats are staggered a few seconds apart so the society wakes gradually.</summary>
    public static Bot NewBot(Persona persona, DateTime now, int ordinal) => new()
    {
        Name = persona.Name,
        PersonaKey = persona.Key,
        PersonalityConfig = persona.Config,
        ReputationScore = ReputationRules.StartingScore,
        CreatedAt = now,
        NextHeartbeatAt = now.AddSeconds(ordinal * 2),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Activity counts and reputation points filled from {Rows} activity rows written before they existed")]
    private partial void LogBackfilled(long rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready: {Added} bots added from personas, {Indexed} corpus articles indexed, {Woken} capped bots woken by raised caps")]
    private partial void LogReady(int added, int indexed, int woken);
}

/// <summary>The database cannot be used at all (unreachable server, refused login, unopenable file); the message is one line for the operator.</summary>
public sealed class DatabaseStartupException(string message, Exception inner) : Exception(message, inner);

/// <summary>Runs <see cref="DatabaseInitializer"/> as the host starts, before timers and HTTP begin.</summary>
internal sealed class DatabaseInitializerService(DatabaseInitializer initializer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => initializer.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
