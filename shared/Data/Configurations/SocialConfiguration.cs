using BotSociety.Core.Social;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BotSociety.Core.Data.Configurations;

internal sealed class ForumThreadConfiguration : IEntityTypeConfiguration<ForumThread>
{
    public void Configure(EntityTypeBuilder<ForumThread> builder)
    {
        builder.ToTable("threads");
        builder.Property(t => t.Title).HasMaxLength(200);
        builder.Property(t => t.Topic).HasMaxLength(64);
        builder.HasOne(t => t.Bot).WithMany().HasForeignKey(t => t.BotId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => t.CreatedAt);
        builder.HasIndex(t => t.LastActivityAt);

        // The thread list's other orders: most replies, best score.
        builder.HasIndex(t => new { t.ReplyCount, t.Id });
        builder.HasIndex(t => new { t.Score, t.Id });
        builder.HasIndex(t => new { t.BotId, t.CreatedAt });

        // The topic filter: its page and its total without reading every thread.
        builder.HasIndex(t => new { t.Topic, t.CreatedAt });
    }
}

internal sealed class PostConfiguration : IEntityTypeConfiguration<Post>
{
    public void Configure(EntityTypeBuilder<Post> builder)
    {
        builder.ToTable("posts");
        builder.HasOne(p => p.Thread).WithMany().HasForeignKey(p => p.ThreadId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(p => p.Bot).WithMany().HasForeignKey(p => p.BotId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(p => p.ParentPost).WithMany().HasForeignKey(p => p.ParentPostId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.ThreadId, p.CreatedAt });
        builder.HasIndex(p => p.CreatedAt);
        builder.HasIndex(p => new { p.BotId, p.CreatedAt });
    }
}

internal sealed class VoteConfiguration : IEntityTypeConfiguration<Vote>
{
    public void Configure(EntityTypeBuilder<Vote> builder)
    {
        builder.ToTable("votes", t => t.HasCheckConstraint("ck_votes_value", "value IN (-1, 1)"));
        builder.HasOne(v => v.Bot).WithMany().HasForeignKey(v => v.BotId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(v => v.TargetType).HasMaxLength(16);

        // One vote per bot per target, enforced by the database as well as by validation.
        builder.HasIndex(v => new { v.BotId, v.TargetType, v.TargetId }).IsUnique();
        builder.HasIndex(v => new { v.TargetType, v.TargetId });
        builder.HasIndex(v => new { v.TargetBotId, v.CreatedAt });

        // The society's vote list, newest first.
        builder.HasIndex(v => v.CreatedAt);
    }
}

internal sealed class FollowConfiguration : IEntityTypeConfiguration<Follow>
{
    public void Configure(EntityTypeBuilder<Follow> builder)
    {
        builder.ToTable("follows", t => t.HasCheckConstraint("ck_follows_not_self", "follower_id <> followee_id"));
        builder.HasKey(f => new { f.FollowerId, f.FolloweeId });
        builder.HasOne(f => f.Follower).WithMany().HasForeignKey(f => f.FollowerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(f => f.Followee).WithMany().HasForeignKey(f => f.FolloweeId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(f => f.FolloweeId);
    }
}

internal sealed class SocialTotalsConfiguration : IEntityTypeConfiguration<SocialTotals>
{
    public void Configure(EntityTypeBuilder<SocialTotals> builder)
    {
        // The triggers that keep these rows are in the SocialTotals migrations (SQL per provider).
        builder.ToTable("social_totals");
        builder.HasKey(t => t.BotId);
        builder.Property(t => t.BotId).ValueGeneratedNever();
        builder.HasOne(t => t.Bot).WithMany().HasForeignKey(t => t.BotId).OnDelete(DeleteBehavior.Cascade);
    }
}
