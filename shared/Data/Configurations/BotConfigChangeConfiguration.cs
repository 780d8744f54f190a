using BotSociety.Core.Bots;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BotSociety.Core.Data.Configurations;

internal sealed class BotConfigChangeConfiguration : IEntityTypeConfiguration<BotConfigChange>
{
    public void Configure(EntityTypeBuilder<BotConfigChange> builder)
    {
        builder.ToTable("config_changes");
        builder.Property(c => c.Kind).HasMaxLength(16);
        builder.HasOne(c => c.Bot).WithMany().HasForeignKey(c => c.BotId).OnDelete(DeleteBehavior.Cascade);

        // The config history of one bot, newest first.
        builder.HasIndex(c => new { c.BotId, c.ChangedAt });
    }
}
