using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TaobaoAlliance.Data.Tracking;

/// <summary>
/// One recorded click. Its id is a UUIDv7 (time-ordered, unguessable) carried to the store as
/// <c>alliance_click</c>. The rates in force at click time are copied onto the row, because that is
/// what the click will be paid at, whatever the seller changes later.
/// </summary>
public sealed class Click
{
    public Guid Id { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public long? LinkId { get; set; }
    public long WebmasterId { get; set; }
    public long SiteId { get; set; }
    public long ZoneId { get; set; }
    public long ItemId { get; set; }
    public long ShopId { get; set; }
    public Guid VisitorId { get; set; }

    /// <summary>SHA-256 of the IP address with a secret salt; the address itself is never stored.</summary>
    public byte[] IpHash { get; set; } = [];

    public string? UserAgent { get; set; }
    public string? Referrer { get; set; }
    public bool IsValid { get; set; }
    public string? InvalidReason { get; set; }

    /// <summary>Rate the clicked item earns (item rate, or targeted rate for an approved webmaster).</summary>
    public int ItemRateBp { get; set; }

    /// <summary>The shop's general rate, earned by other items of the shop bought after this click.</summary>
    public int ShopRateBp { get; set; }

    /// <summary>Set when the click came from a smart zone's CPC ad.</summary>
    public long? CampaignId { get; set; }

    /// <summary>The webmaster's sub-ids of the click (cleaned by SubIds.Lenient), carried to its commissions.</summary>
    public string? Sub1 { get; set; }
    public string? Sub2 { get; set; }
    public string? Sub3 { get; set; }
    public string? Sub4 { get; set; }
    public string? Sub5 { get; set; }
}

internal sealed class ClickConfiguration : IEntityTypeConfiguration<Click>
{
    public void Configure(EntityTypeBuilder<Click> b)
    {
        b.Property(c => c.Id).ValueGeneratedNever();
        b.Property(c => c.UserAgent).HasMaxLength(512);
        b.Property(c => c.Referrer).HasMaxLength(1024);
        b.Property(c => c.InvalidReason).HasMaxLength(32);
        b.Property(c => c.Sub1).HasMaxLength(64);
        b.Property(c => c.Sub2).HasMaxLength(64);
        b.Property(c => c.Sub3).HasMaxLength(64);
        b.Property(c => c.Sub4).HasMaxLength(64);
        b.Property(c => c.Sub5).HasMaxLength(64);
        // A lean fact table: the hot path inserts a row per click, so it carries only the indexes a query needs —
        // attribution (a visitor's latest clicks), reports by webmaster, the admin's measured traffic by site, EPC
        // by item — and no foreign keys: each would cost an index lookup per inserted row. Every id on a click
        // comes from rows the click path read (ClickTargets) and nothing in the app deletes links, zones, sites,
        // items, shops, webmasters or campaigns; ClickIntegrityTests checks every click joins its rows.
        b.HasIndex(c => new { c.VisitorId, c.OccurredAt });
        b.HasIndex(c => new { c.WebmasterId, c.OccurredAt });
        b.HasIndex(c => new { c.SiteId, c.OccurredAt });
        b.HasIndex(c => new { c.ItemId, c.OccurredAt });
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_clicks_rates", "item_rate_bp BETWEEN 0 AND 9000 AND shop_rate_bp BETWEEN 0 AND 9000");
            t.HasCheckConstraint("ck_clicks_invalid_reason", "is_valid OR invalid_reason IS NOT NULL");
        });
    }
}
