using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Data.Sites;

/// <summary>A webmaster's website. Only an approved site's clicks can earn.</summary>
public sealed class Site
{
    public long Id { get; set; }
    public long WebmasterId { get; set; }
    public Webmaster Webmaster { get; set; } = null!;
    public string Name { get; set; } = "";
    public string Url { get; set; } = "";
    public int CategoryId { get; set; }
    public Category Category { get; set; } = null!;
    public int ClaimedDailyVisitors { get; set; }
    public string Description { get; set; } = "";

    /// <summary>The content the site must carry in &lt;meta name="alliance-site-verification"&gt;.</summary>
    public string VerificationToken { get; set; } = "";
    public DateTimeOffset? VerifiedAt { get; set; }

    public SiteState State { get; set; }

    /// <summary>The admin's reason for the current state (rejection or suspension).</summary>
    public string? StateReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public List<AdZone> Zones { get; } = [];
    public List<SiteReview> Reviews { get; } = [];
}

internal sealed class SiteConfiguration : IEntityTypeConfiguration<Site>
{
    public void Configure(EntityTypeBuilder<Site> b)
    {
        b.Property(s => s.Name).HasMaxLength(100);
        b.Property(s => s.Url).HasMaxLength(500);
        b.Property(s => s.Description).HasMaxLength(2000);
        b.Property(s => s.VerificationToken).HasMaxLength(64);
        b.Property(s => s.StateReason).HasMaxLength(1000);
        b.Property(s => s.State).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(s => s.WebmasterId);
        b.HasIndex(s => new { s.State, s.CreatedAt });
        b.HasOne(s => s.Webmaster).WithMany().HasForeignKey(s => s.WebmasterId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(s => s.Category).WithMany().HasForeignKey(s => s.CategoryId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("ck_sites_claimed_daily_visitors", "claimed_daily_visitors >= 0"));
    }
}

/// <summary>One decision on a site (submitted, verified, approved, rejected, suspended), oldest first.</summary>
public sealed class SiteReview
{
    public long Id { get; set; }
    public long SiteId { get; set; }
    public SiteState? FromState { get; set; }
    public SiteState ToState { get; set; }
    public string? Reason { get; set; }
    public long? ActorUserId { get; set; }
    public DateTimeOffset At { get; set; }
}

internal sealed class SiteReviewConfiguration : IEntityTypeConfiguration<SiteReview>
{
    public void Configure(EntityTypeBuilder<SiteReview> b)
    {
        b.Property(r => r.FromState).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.ToState).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Reason).HasMaxLength(1000);
        b.HasIndex(r => new { r.SiteId, r.At });
        b.HasOne<Site>().WithMany(s => s.Reviews).HasForeignKey(r => r.SiteId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AllianceUser>().WithMany().HasForeignKey(r => r.ActorUserId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>A placement on a site. Smart zones are filled by the CPC auction.</summary>
public sealed class AdZone
{
    public long Id { get; set; }
    public long SiteId { get; set; }
    public Site Site { get; set; } = null!;
    public string Name { get; set; } = "";
    public bool IsSmart { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class AdZoneConfiguration : IEntityTypeConfiguration<AdZone>
{
    public void Configure(EntityTypeBuilder<AdZone> b)
    {
        b.Property(z => z.Name).HasMaxLength(100);
        b.HasIndex(z => z.SiteId);
        b.HasOne(z => z.Site).WithMany(s => s.Zones).HasForeignKey(z => z.SiteId).OnDelete(DeleteBehavior.Restrict);
    }
}
