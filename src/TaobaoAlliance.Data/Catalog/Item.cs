using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TaobaoAlliance.Data.Catalog;

/// <summary>A commodity for sale in a shop, with the commission rate it pays when it is the clicked item.</summary>
public sealed class Item
{
    public long Id { get; set; }
    public long ShopId { get; set; }
    public Shop Shop { get; set; } = null!;
    public int CategoryId { get; set; }
    public Category Category { get; set; } = null!;
    public string TitleZh { get; set; } = "";
    public string TitleEn { get; set; } = "";
    public long PriceFen { get; set; }

    /// <summary>Item rate in basis points; null means the shop's general rate applies.</summary>
    public int? CommissionRateBp { get; set; }

    public int MonthlySales { get; set; }
    public string ImageUrl { get; set; } = "";
    /// <summary>The seller's own choice (the seller's list and editor); whether the item is for sale is <see cref="IsOnSale"/>.</summary>
    public bool IsListed { get; set; } = true;

    /// <summary>Set when an admin delisted the item (ItemDelisting): it is off sale whatever the seller chooses, until an admin relists it.</summary>
    public DateTimeOffset? DelistedAt { get; set; }

    /// <summary>Why the platform delisted it: a <see cref="DelistReason"/> name, with the admin's note.</summary>
    public string? DelistReason { get; set; }
    public string? DelistNote { get; set; }

    /// <summary>
    /// Listed by the seller and not delisted by the platform, computed by PostgreSQL (a stored generated column): every
    /// "is this item for sale" query — storefront, library, links, clicks, ads, cart, checkout — reads this one column.
    /// </summary>
    public bool IsOnSale { get; private set; }

    /// <summary>The product page on the shop's registered store host (ExternalStores); clicks land there when set.</summary>
    public string? ExternalUrl { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Why an admin took an item off sale (stored by name in <c>items.delist_reason</c>).</summary>
public enum DelistReason { Counterfeit, Prohibited, Misleading, Other }

internal sealed class ItemConfiguration : IEntityTypeConfiguration<Item>
{
    public void Configure(EntityTypeBuilder<Item> b)
    {
        b.Property(i => i.TitleZh).HasMaxLength(200);
        b.Property(i => i.TitleEn).HasMaxLength(300);
        b.Property(i => i.ImageUrl).HasMaxLength(500);
        b.Property(i => i.ExternalUrl).HasMaxLength(1000);
        b.HasIndex(i => i.ExternalUrl); // deep links find the item by its product URL
        b.Property(i => i.DelistReason).HasMaxLength(20);
        b.Property(i => i.DelistNote).HasMaxLength(500);
        b.Property(i => i.IsOnSale).HasComputedColumnSql("is_listed AND delisted_at IS NULL", stored: true);
        b.HasIndex(i => new { i.ShopId, i.IsOnSale });
        b.HasIndex(i => new { i.CategoryId, i.IsOnSale });
        b.HasIndex(i => i.DelistedAt).HasFilter("delisted_at IS NOT NULL"); // the admin's list of delisted items
        // Trigram indexes: keyword search must work for Chinese, which full-text search does not segment.
        b.HasIndex(i => i.TitleZh).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_items_title_zh_trgm");
        b.HasIndex(i => i.TitleEn).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_items_title_en_trgm");
        b.HasOne(i => i.Shop).WithMany(s => s.Items).HasForeignKey(i => i.ShopId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(i => i.Category).WithMany().HasForeignKey(i => i.CategoryId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_items_price_fen", "price_fen >= 0");
            t.HasCheckConstraint("ck_items_commission_rate_bp", "commission_rate_bp BETWEEN 0 AND 9000");
            t.HasCheckConstraint("ck_items_monthly_sales", "monthly_sales >= 0");
            t.HasCheckConstraint("ck_items_delisted_with_reason", "(delisted_at IS NULL) = (delist_reason IS NULL)");
        });
    }
}
