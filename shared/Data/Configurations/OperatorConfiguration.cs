using BotSociety.Core.Alerts;
using BotSociety.Core.Traces;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BotSociety.Core.Data.Configurations;

internal sealed class ModelTraceConfiguration : IEntityTypeConfiguration<ModelTrace>
{
    public void Configure(EntityTypeBuilder<ModelTrace> builder)
    {
        builder.ToTable("model_traces");
        builder.Property(t => t.Kind).HasMaxLength(32);
        builder.Property(t => t.Provider).HasMaxLength(64);
        builder.Property(t => t.Model).HasMaxLength(128);
        builder.Property(t => t.FailureKind).HasMaxLength(32);

        // A trace lives and dies with its activity row and its bot; neither is a navigation, the writer inserts by id.
        builder.HasOne<Simulation.ActivityLogEntry>().WithMany().HasForeignKey(t => t.ActivityId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Bots.Bot>().WithMany().HasForeignKey(t => t.BotId).OnDelete(DeleteBehavior.Cascade);

        // The activity view reads one by activity; pruning goes oldest first; latency percentiles read a provider's window.
        builder.HasIndex(t => t.ActivityId);
        builder.HasIndex(t => t.CreatedAt);
        builder.HasIndex(t => new { t.Provider, t.CreatedAt });
    }
}

internal sealed class ModelUsageDayConfiguration : IEntityTypeConfiguration<ModelUsageDay>
{
    public void Configure(EntityTypeBuilder<ModelUsageDay> builder)
    {
        builder.ToTable("model_usage");
        builder.HasKey(u => new { u.Day, u.Provider, u.Model, u.Kind });
        builder.Property(u => u.Provider).HasMaxLength(64);
        builder.Property(u => u.Model).HasMaxLength(128);
        builder.Property(u => u.Kind).HasMaxLength(32);
    }
}

internal sealed class AlertRuleConfiguration : IEntityTypeConfiguration<AlertRule>
{
    public void Configure(EntityTypeBuilder<AlertRule> builder)
    {
        builder.ToTable("alert_rules");
        builder.Property(a => a.Kind).HasMaxLength(32);
        builder.Property(a => a.WebhookUrl).HasMaxLength(2048);
        builder.Property(a => a.Secret).HasMaxLength(256);
        builder.HasOne(a => a.Bot).WithMany().HasForeignKey(a => a.BotId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AlertEpisodeConfiguration : IEntityTypeConfiguration<AlertEpisode>
{
    public void Configure(EntityTypeBuilder<AlertEpisode> builder)
    {
        builder.ToTable("alert_episodes");
        builder.HasKey(e => new { e.AlertId, e.BotId });
        builder.Property(e => e.Message).HasMaxLength(500);
        builder.HasOne(e => e.Alert).WithMany().HasForeignKey(e => e.AlertId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => e.Firing);
    }
}

internal sealed class AlertDeliveryConfiguration : IEntityTypeConfiguration<AlertDelivery>
{
    public void Configure(EntityTypeBuilder<AlertDelivery> builder)
    {
        builder.ToTable("alert_deliveries");
        builder.Property(d => d.Status).HasMaxLength(16);
        builder.Property(d => d.Error).HasMaxLength(500);
        builder.HasOne(d => d.Alert).WithMany().HasForeignKey(d => d.AlertId).OnDelete(DeleteBehavior.Cascade);

        // The log per rule, newest first; the sender picks up what is still pending.
        builder.HasIndex(d => new { d.AlertId, d.CreatedAt });
        builder.HasIndex(d => d.Status);
    }
}
