using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TaobaoAlliance.Data.Reports;

// Rollups of orders, order lines and commissions, one row per China day and dimension, so no report sums a
// period of raw orders. Only row triggers on orders, order_lines and commissions write them (migration
// SaleRollups), in the transaction of the write, whatever writes it (order events, refunds, settlement, voids,
// bench/generate.sql through rebuild_sale_rollups()): each write takes the old row's share out and puts the new
// row's in, so a state change or a refund moves money between columns or days as the raw rows do. The app only
// reads. Money is numeric: a day's total can never overflow and fail the order write that adds to it.
// A commission counts at what it is worth now: its stored amounts while nothing is refunded, recomputed on the part
// not refunded otherwise (commission_effective(), the SQL twin of CommissionMath.Effective); Reversed and Voided
// count nothing.

/// <summary>Orders of a shop by the China day they were paid: all of them (the admin) and the attributed ones (the seller).</summary>
public sealed class OrderDayShop
{
    public long ShopId { get; set; }
    public DateOnly Day { get; set; }
    public long Orders { get; set; }
    /// <summary>Paid less refunded, every order.</summary>
    public decimal GmvFen { get; set; }
    public long AllianceOrders { get; set; }
    /// <summary>Paid less refunded, orders with an attributed click.</summary>
    public decimal AllianceGmvFen { get; set; }
    public decimal AllianceRefundsFen { get; set; }
}

/// <summary>A webmaster's attributed orders (orders.attributed_webmaster_id) by the China day they were paid: the webmaster's report by day.</summary>
public sealed class OrderDayWebmaster
{
    public long WebmasterId { get; set; }
    public DateOnly Day { get; set; }
    public long Orders { get; set; }
    /// <summary>Paid less refunded.</summary>
    public decimal GmvFen { get; set; }
}

/// <summary>What the shop's commissions are worth now, by the China day of their order's payment (Pending and Settled).</summary>
public sealed class CommissionDayShop
{
    public long ShopId { get; set; }
    public DateOnly Day { get; set; }
    public decimal CommissionFen { get; set; }
    public decimal PlatformFeeFen { get; set; }
    public decimal SubsidyFen { get; set; }
}

/// <summary>A webmaster's earnings (share plus subsidy, worth now) by the China day of the order's payment: estimated (Pending and Settled) and settled.</summary>
public sealed class CommissionDayWebmaster
{
    public long WebmasterId { get; set; }
    public DateOnly Day { get; set; }
    public decimal EstimatedFen { get; set; }
    public decimal SettledFen { get; set; }
}

/// <summary>
/// What webmasters earned (share plus subsidy, worth now; every state but Reversed and Voided) from an item's valid
/// clicks, by the China day of the click: the library's EPC, beside the item's valid clicks in click_day_items.
/// </summary>
public sealed class CommissionDayItem
{
    public long ItemId { get; set; }
    public DateOnly Day { get; set; }
    public decimal EarnedFen { get; set; }
}

/// <summary>
/// A shop's customer (buyer reference; orders without one cannot be told apart) and their first order in the shop,
/// alliance or not: new vs returning customers and the cohorts, without reading a customer's whole history.
/// </summary>
public sealed class ShopCustomer
{
    public long ShopId { get; set; }
    public string BuyerRef { get; set; } = "";
    public long FirstOrderId { get; set; }
    public DateTimeOffset FirstPaidAt { get; set; }
    /// <summary>Whether that first order came through the alliance (has an attributed click).</summary>
    public bool FirstAttributed { get; set; }
}

internal sealed class OrderDayShopConfiguration : IEntityTypeConfiguration<OrderDayShop>
{
    public void Configure(EntityTypeBuilder<OrderDayShop> b)
    {
        b.ToTable("order_day_shops");
        b.HasKey(r => new { r.ShopId, r.Day });
        b.HasIndex(r => r.Day);
    }
}

internal sealed class OrderDayWebmasterConfiguration : IEntityTypeConfiguration<OrderDayWebmaster>
{
    public void Configure(EntityTypeBuilder<OrderDayWebmaster> b)
    {
        b.ToTable("order_day_webmasters");
        b.HasKey(r => new { r.WebmasterId, r.Day });
    }
}

internal sealed class CommissionDayShopConfiguration : IEntityTypeConfiguration<CommissionDayShop>
{
    public void Configure(EntityTypeBuilder<CommissionDayShop> b)
    {
        b.ToTable("commission_day_shops");
        b.HasKey(r => new { r.ShopId, r.Day });
        b.HasIndex(r => r.Day);
    }
}

internal sealed class CommissionDayWebmasterConfiguration : IEntityTypeConfiguration<CommissionDayWebmaster>
{
    public void Configure(EntityTypeBuilder<CommissionDayWebmaster> b)
    {
        b.ToTable("commission_day_webmasters");
        b.HasKey(r => new { r.WebmasterId, r.Day });
    }
}

internal sealed class CommissionDayItemConfiguration : IEntityTypeConfiguration<CommissionDayItem>
{
    public void Configure(EntityTypeBuilder<CommissionDayItem> b)
    {
        b.ToTable("commission_day_items");
        b.HasKey(r => new { r.Day, r.ItemId });
        b.HasIndex(r => new { r.ItemId, r.Day });
    }
}

internal sealed class ShopCustomerConfiguration : IEntityTypeConfiguration<ShopCustomer>
{
    public void Configure(EntityTypeBuilder<ShopCustomer> b)
    {
        b.ToTable("shop_customers");
        b.Property(r => r.BuyerRef).HasMaxLength(128);
        b.HasKey(r => new { r.ShopId, r.BuyerRef });
        // The cohorts: a shop's customers whose first order came through the alliance, by the time of that order.
        b.HasIndex(r => new { r.ShopId, r.FirstPaidAt });
    }
}
