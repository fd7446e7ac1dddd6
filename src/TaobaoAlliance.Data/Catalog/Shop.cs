using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Data.Catalog;

/// <summary>A seller's shop. Its general rate pays on items that were not the clicked one.</summary>
public sealed class Shop
{
    public long Id { get; set; }
    public long SellerId { get; set; }
    public Seller Seller { get; set; } = null!;
    public string Slug { get; set; } = "";
    public string NameZh { get; set; } = "";
    public string NameEn { get; set; } = "";

    /// <summary>What the shop sells, shown to webmasters choosing what to promote.</summary>
    public string Description { get; set; } = "";

    /// <summary>Commission rate in basis points (1 % = 100), 0 to 9000.</summary>
    public int GeneralRateBp { get; set; }

    /// <summary>
    /// HMAC key for the Orders API. Kept readable on purpose: verifying an HMAC needs the key itself
    /// (as GitHub and Stripe webhooks do); it is shown to the seller once, on creation or rotation.
    /// </summary>
    public string? OrdersApiSecret { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// The host of the shop's own store (lower case, e.g. <c>shop.example.com</c>), when it sells outside the built-in
    /// storefront: its items' external URLs must be on exactly this host (ExternalStores). One shop per host.
    /// </summary>
    public string? StoreHost { get; set; }

    public List<Item> Items { get; } = [];
}

internal sealed class ShopConfiguration : IEntityTypeConfiguration<Shop>
{
    public void Configure(EntityTypeBuilder<Shop> b)
    {
        b.Property(s => s.Slug).HasMaxLength(64);
        b.Property(s => s.NameZh).HasMaxLength(128);
        b.Property(s => s.NameEn).HasMaxLength(128);
        b.Property(s => s.Description).HasMaxLength(500);
        b.Property(s => s.OrdersApiSecret).HasMaxLength(128);
        b.HasIndex(s => s.Slug).IsUnique();
        b.HasIndex(s => s.SellerId);
        b.Property(s => s.StoreHost).HasMaxLength(253);
        b.HasIndex(s => s.StoreHost).IsUnique();
        b.HasOne(s => s.Seller).WithMany().HasForeignKey(s => s.SellerId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("ck_shops_general_rate_bp", "general_rate_bp BETWEEN 0 AND 9000"));
    }
}
