using BotSociety.Core.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BotSociety.Core.Data.Configurations;

internal sealed class WebSearchCacheConfiguration : IEntityTypeConfiguration<WebSearchCacheEntry>
{
    public void Configure(EntityTypeBuilder<WebSearchCacheEntry> builder)
    {
        builder.ToTable("web_search_cache");
        builder.HasKey(e => new { e.Provider, e.Query });
        builder.Property(e => e.Provider).HasMaxLength(40);
        builder.Property(e => e.Query).HasMaxLength(400);
    }
}

internal sealed class WebSearchDayConfiguration : IEntityTypeConfiguration<WebSearchDay>
{
    public void Configure(EntityTypeBuilder<WebSearchDay> builder)
    {
        builder.ToTable("web_search_days");
        builder.HasKey(e => new { e.Provider, e.Day });
        builder.Property(e => e.Provider).HasMaxLength(40);
    }
}
