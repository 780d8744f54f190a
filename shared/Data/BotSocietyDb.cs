using System.Text;
using BotSociety.Core.Bots;
using BotSociety.Core.Memory;
using BotSociety.Core.Reputation;
using BotSociety.Core.Simulation;
using BotSociety.Core.Social;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BotSociety.Core.Data;

/// <summary>
/// The society's database. Add a migration with:
/// <c>dotnet ef migrations add &lt;Name&gt; --project shared --output-dir Data/Migrations</c>
/// </summary>
public sealed class BotSocietyDb(DbContextOptions<BotSocietyDb> options) : DbContext(options)
{
    public DbSet<Bot> Bots => Set<Bot>();
    public DbSet<ForumThread> Threads => Set<ForumThread>();
    public DbSet<Post> Posts => Set<Post>();
    public DbSet<Vote> Votes => Set<Vote>();
    public DbSet<Follow> Follows => Set<Follow>();
    public DbSet<SocialTotals> SocialTotals => Set<SocialTotals>();
    public DbSet<Realtime.OutboxEvent> OutboxEvents => Set<Realtime.OutboxEvent>();
    public DbSet<Idempotency.IdempotencyRecord> IdempotencyKeys => Set<Idempotency.IdempotencyRecord>();
    public DbSet<ActivityLogEntry> ActivityLog => Set<ActivityLogEntry>();
    public DbSet<ActivityCount> ActivityCounts => Set<ActivityCount>();
    public DbSet<ReputationBucket> ReputationBuckets => Set<ReputationBucket>();
    public DbSet<DailyUsage> DailyUsage => Set<DailyUsage>();
    public DbSet<WarmMemory> WarmMemories => Set<WarmMemory>();
    public DbSet<ColdMemory> ColdMemories => Set<ColdMemory>();
    public DbSet<RelationshipEvent> RelationshipEvents => Set<RelationshipEvent>();
    public DbSet<SocietySettings> SocietySettings => Set<SocietySettings>();
    public DbSet<BotConfigChange> ConfigChanges => Set<BotConfigChange>();
    public DbSet<Traces.ModelTrace> ModelTraces => Set<Traces.ModelTrace>();
    public DbSet<ModelUsageDay> ModelUsage => Set<ModelUsageDay>();
    public DbSet<Alerts.AlertRule> AlertRules => Set<Alerts.AlertRule>();
    public DbSet<Alerts.AlertEpisode> AlertEpisodes => Set<Alerts.AlertEpisode>();
    public DbSet<Alerts.AlertDelivery> AlertDeliveries => Set<Alerts.AlertDelivery>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BotSocietyDb).Assembly);

        // The plan's names are snake_case (reputation_score, daily_token_cap); the columns say the same.
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite stores text; read every DateTime back as UTC, which is all this app ever writes.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>();
    }

    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && !char.IsUpper(name[i - 1]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
