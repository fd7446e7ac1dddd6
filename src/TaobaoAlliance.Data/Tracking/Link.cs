using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Sites;

namespace TaobaoAlliance.Data.Tracking;

/// <summary>An ad link: one item promoted in one zone, reachable as <c>/c/{Code}</c>.</summary>
public sealed class Link
{
    public long Id { get; set; }

    /// <summary>Short, unguessable, URL-safe code.</summary>
    public string Code { get; set; } = "";

    public long WebmasterId { get; set; }
    public long SiteId { get; set; }
    public long ZoneId { get; set; }
    public AdZone Zone { get; set; } = null!;
    public long ItemId { get; set; }
    public Item Item { get; set; } = null!;
    public bool IsPaused { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class LinkConfiguration : IEntityTypeConfiguration<Link>
{
    public void Configure(EntityTypeBuilder<Link> b)
    {
        b.Property(l => l.Code).HasMaxLength(16);
        b.HasIndex(l => l.Code).IsUnique();
        b.HasIndex(l => new { l.WebmasterId, l.CreatedAt });
        b.HasIndex(l => new { l.ZoneId, l.ItemId }).IsUnique(); // one link per zone and item
        b.HasOne<Webmaster>().WithMany().HasForeignKey(l => l.WebmasterId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Site>().WithMany().HasForeignKey(l => l.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(l => l.Zone).WithMany().HasForeignKey(l => l.ZoneId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(l => l.Item).WithMany().HasForeignKey(l => l.ItemId).OnDelete(DeleteBehavior.Restrict);
    }
}
