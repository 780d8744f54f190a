using System.Runtime.CompilerServices;
using System.Text.Json;
using BotSociety.Core.Bots;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BotSociety.Core.Data.Configurations;

internal sealed class BotConfiguration : IEntityTypeConfiguration<Bot>
{
    public void Configure(EntityTypeBuilder<Bot> builder)
    {
        builder.ToTable("bots");
        builder.Property(b => b.Name).HasMaxLength(64);
        builder.HasIndex(b => b.Name).IsUnique();
        builder.Property(b => b.PersonaKey).HasMaxLength(64);
        builder.Property(b => b.ClaimedBy).HasMaxLength(200);

        // A batch finds its bots by its claim.
        builder.HasIndex(b => b.ClaimedBy);

        // personality_config is one JSON document, as the plan stores it; compared by content for change tracking.
        builder.Property(b => b.PersonalityConfig)
            .HasConversion(
                v => JsonSerializer.Serialize(v, SocietyJson.Options),
                v => PersonalityConfigCache.Parse(v),
                // The config is immutable and replaced whole when it changes, so identity is the cheap, exact test;
                // serialising it on every change check would cost each heartbeat more than the heartbeat's own SQL.
                new ValueComparer<PersonalityConfig>(
                    (a, b) => ReferenceEquals(a, b),
                    v => RuntimeHelpers.GetHashCode(v),
                    v => v));

        // The heartbeat's "who is due" query.
        builder.HasIndex(b => new { b.IsPaused, b.NextHeartbeatAt });
    }
}
