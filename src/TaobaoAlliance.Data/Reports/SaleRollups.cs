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

/// <summary>
/// A shop customer's orders on one China day they were paid (customers with a buyer reference only), with the day of
/// the customer's first order in the shop copied from shop_customers: the seller's new vs returning customers by day
/// and over a period (each customer once) without reading orders. Only days with an order have a row.
/// </summary>
public sealed class ShopCustomerDay
{
    public long ShopId { get; set; }
    public string BuyerRef { get; set; } = "";
    public DateOnly Day { get; set; }
    /// <summary>The China day of the customer's first order in the shop (shop_customers.first_paid_at).</summary>
    public DateOnly FirstDay { get; set; }
    /// <summary>Whether that first order came through the alliance (shop_customers.first_attributed).</summary>
    public bool FirstAttributed { get; set; }
    public long Orders { get; set; }
    /// <summary>Orders with an attributed click.</summary>
    public long AllianceOrders { get; set; }
    /// <summary>Paid less refunded, every order of the day.</summary>
    public decimal NetFen { get; set; }
}

/// <summary>
/// A shop's customers by the China day of their first order in the shop and a day they bought on (shop_customer_days
/// summed): the customers with an alliance order that day (new vs returning by day), and for the customers whose first
/// order came through the alliance (the cohorts) how many start on that day, their orders and revenue (alliance or
/// not, less refunds) and the commission on their first orders.
/// </summary>
public sealed class CustomerDayShop
{
    public long ShopId { get; set; }
    public DateOnly FirstDay { get; set; }
    public DateOnly Day { get; set; }
    /// <summary>Customers with an alliance order on <see cref="Day"/>.</summary>
    public long AllianceCustomers { get; set; }
    /// <summary>Cohort customers whose first order is on this day (only where <see cref="Day"/> is <see cref="FirstDay"/>).</summary>
    public long CohortCustomers { get; set; }
    public long CohortOrders { get; set; }
    /// <summary>Paid less refunded, the cohort customers' orders of <see cref="Day"/>.</summary>
    public decimal CohortNetFen { get; set; }
    /// <summary>What the commissions of the cohort customers' first orders are worth now (Pending and Settled; only where <see cref="Day"/> is <see cref="FirstDay"/>).</summary>
    public decimal CohortFirstCommissionFen { get; set; }
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

internal sealed class ShopCustomerDayConfiguration : IEntityTypeConfiguration<ShopCustomerDay>
{
    public void Configure(EntityTypeBuilder<ShopCustomerDay> b)
    {
        b.ToTable("shop_customer_days");
        b.Property(r => r.BuyerRef).HasMaxLength(128);
        b.HasKey(r => new { r.ShopId, r.BuyerRef, r.Day });
        // The period's distinct customers with an alliance order, read from the index alone.
        b.HasIndex(r => new { r.ShopId, r.Day }).IncludeProperties(r => new { r.BuyerRef, r.FirstDay }).HasFilter("alliance_orders > 0");
    }
}

internal sealed class CustomerDayShopConfiguration : IEntityTypeConfiguration<CustomerDayShop>
{
    public void Configure(EntityTypeBuilder<CustomerDayShop> b)
    {
        b.ToTable("customer_day_shops");
        b.HasKey(r => new { r.ShopId, r.FirstDay, r.Day });
        b.HasIndex(r => new { r.ShopId, r.Day });
    }
}
