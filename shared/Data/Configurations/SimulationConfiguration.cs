using BotSociety.Core.Memory;
using BotSociety.Core.Reputation;
using BotSociety.Core.Simulation;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BotSociety.Core.Data.Configurations;

internal sealed class ActivityLogConfiguration : IEntityTypeConfiguration<ActivityLogEntry>
{
    public void Configure(EntityTypeBuilder<ActivityLogEntry> builder)
    {
        builder.ToTable("activity_log");
        builder.Property(a => a.Action).HasMaxLength(32);
        builder.Property(a => a.EventId).HasMaxLength(36);
        builder.Property(a => a.Model).HasMaxLength(128);
        builder.Property(a => a.Actor).HasMaxLength(128);
        builder.HasOne(a => a.Bot).WithMany().HasForeignKey(a => a.BotId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => a.EventId).IsUnique();

        // Latest activity (the feed), per bot (profiles, compression, reputation history), per action (filters).
        builder.HasIndex(a => a.CreatedAt);
        builder.HasIndex(a => new { a.BotId, a.CreatedAt });
        builder.HasIndex(a => new { a.Action, a.CreatedAt });
    }
}

internal sealed class ActivityCountConfiguration : IEntityTypeConfiguration<ActivityCount>
{
    public void Configure(EntityTypeBuilder<ActivityCount> builder)
    {
        builder.ToTable("activity_counts");
        builder.HasKey(c => new { c.BotId, c.Action });
        builder.Property(c => c.Action).HasMaxLength(32);
        builder.HasOne(c => c.Bot).WithMany().HasForeignKey(c => c.BotId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReputationPointConfiguration : IEntityTypeConfiguration<ReputationBucket>
{
    public void Configure(EntityTypeBuilder<ReputationBucket> builder)
    {
        builder.ToTable("reputation_buckets");
        builder.HasKey(p => new { p.BotId, p.Bucket });
        builder.HasOne(p => p.Bot).WithMany().HasForeignKey(p => p.BotId).OnDelete(DeleteBehavior.Cascade);
        // Covering: the reputation chart reads a few slots of every bot, and the score, time and bot come from the
        // index itself instead of one table lookup per point.
        builder.HasIndex(p => new { p.Bucket, p.BotId, p.At, p.Score });
    }
}

internal sealed class DailyUsageConfiguration : IEntityTypeConfiguration<DailyUsage>
{
    public void Configure(EntityTypeBuilder<DailyUsage> builder)
    {
        builder.ToTable("daily_usage");
        builder.HasKey(u => new { u.BotId, u.Day });
        builder.HasOne(u => u.Bot).WithMany().HasForeignKey(u => u.BotId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(u => u.Day);
    }
}

internal sealed class WarmMemoryConfiguration : IEntityTypeConfiguration<WarmMemory>
{
    public void Configure(EntityTypeBuilder<WarmMemory> builder)
    {
        builder.ToTable("warm_memories");
        builder.Property(m => m.Category).HasMaxLength(16);
        builder.Property(m => m.Subject).HasMaxLength(200);
        builder.HasOne(m => m.Bot).WithMany().HasForeignKey(m => m.BotId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(m => m.Activity).WithMany().HasForeignKey(m => m.ActivityId).OnDelete(DeleteBehavior.SetNull);

        // Prompts read the most important items per bot; the explorer pages per category. The eviction of a full
        // category (least important, then oldest, then lowest id) reads the first entry of this index and stops: with
        // updated_at in it, no row is fetched to break ties (50 rows on as many pages, most of an eviction's cost), and
        // SQLite's index entries end with the row id, the last tie-breaker.
        builder.HasIndex(m => new { m.BotId, m.Category, m.Importance, m.UpdatedAt });
        builder.HasIndex(m => new { m.BotId, m.Importance });
        builder.HasIndex(m => new { m.BotId, m.Category, m.Subject });
    }
}

internal sealed class ColdMemoryConfiguration : IEntityTypeConfiguration<ColdMemory>
{
    public void Configure(EntityTypeBuilder<ColdMemory> builder)
    {
        builder.ToTable("cold_memories");
        builder.HasOne(m => m.Bot).WithMany().HasForeignKey(m => m.BotId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(m => m.Activity).WithMany().HasForeignKey(m => m.ActivityId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(m => new { m.BotId, m.PeriodEnd });
    }
}

internal sealed class RelationshipEventConfiguration : IEntityTypeConfiguration<RelationshipEvent>
{
    public void Configure(EntityTypeBuilder<RelationshipEvent> builder)
    {
        builder.ToTable("relationship_events");
        builder.Property(r => r.Kind).HasMaxLength(32);
        builder.HasOne(r => r.Bot).WithMany().HasForeignKey(r => r.BotId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(r => r.OtherBot).WithMany().HasForeignKey(r => r.OtherBotId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(r => r.Activity).WithMany().HasForeignKey(r => r.ActivityId).OnDelete(DeleteBehavior.SetNull);
        // Covering: the graph groups every event by pair with its kind and delta, and reads them from the index alone
        // in group order (a million events: 0.4 s, against 8 s through table lookups on SQLite). Its prefix serves
        // the per-pair reads the narrower index did.
        builder.HasIndex(r => new { r.BotId, r.OtherBotId, r.CreatedAt, r.Kind, r.SentimentDelta });
        builder.HasIndex(r => new { r.OtherBotId, r.CreatedAt });
    }
}

internal sealed class SocietySettingsConfiguration : IEntityTypeConfiguration<SocietySettings>
{
    public void Configure(EntityTypeBuilder<SocietySettings> builder)
    {
        builder.ToTable("society_settings");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Pace).HasMaxLength(16);
    }
}

internal sealed class OutboxEventConfiguration : IEntityTypeConfiguration<Realtime.OutboxEvent>
{
    public void Configure(EntityTypeBuilder<Realtime.OutboxEvent> builder)
    {
        builder.ToTable("outbox_events");
        builder.Property(e => e.EventId).HasMaxLength(64);

        // A drain takes the due events in the order they were written.
        builder.HasIndex(e => new { e.NextAttemptAt, e.Id });
    }
}
