using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Data.Orders;

public enum OrderState { Paid, Confirmed, Settled, Refunded }

public enum OrderSource { Storefront, OrdersApi }

/// <summary>
/// One shop's order. A storefront checkout with items of several shops becomes one order per shop
/// (sharing a <see cref="CheckoutId"/>), because each shop's part is attributed on its own.
/// </summary>
public sealed class Order
{
    public long Id { get; set; }
    public long ShopId { get; set; }
    public Shop Shop { get; set; } = null!;

    /// <summary>The store's own order number; unique per shop, which makes order events idempotent.</summary>
    public string ExternalOrderId { get; set; } = "";

    public OrderSource Source { get; set; }
    public Guid? CheckoutId { get; set; }
    public long? BuyerUserId { get; set; }

    /// <summary>The store's reference for the buyer (for the storefront, the user id).</summary>
    public string BuyerRef { get; set; } = "";

    public Guid? VisitorId { get; set; }

    /// <summary>The click id the store sent back (from the landing URL); beats the visitor cookie.</summary>
    public Guid? ClickIdHint { get; set; }

    /// <summary>The click that won attribution, if any.</summary>
    public Guid? AttributedClickId { get; set; }

    /// <summary>Why that click won, or why none did, in words an admin can read.</summary>
    public string AttributionNote { get; set; } = "";

    /// <summary>
    /// The same note as phrase codes and arguments (JSON, <c>Attribution.Texts.Phrases</c>), rendered in the reader's
    /// language; null on orders paid before phrases were kept, which show <see cref="AttributionNote"/> as written.
    /// </summary>
    public string? AttributionPhrases { get; set; }

    public OrderState State { get; set; }
    public DateTimeOffset PaidAt { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>Set when a fraud rule fired (e.g. <c>self_purchase</c>); shown in the admin's fraud review.</summary>
    public string? FraudFlag { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public List<OrderLine> Lines { get; } = [];
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.Property(o => o.ExternalOrderId).HasMaxLength(64);
        b.Property(o => o.BuyerRef).HasMaxLength(128);
        b.Property(o => o.AttributionNote).HasMaxLength(2000);
        b.Property(o => o.AttributionPhrases).HasColumnType("jsonb");
        b.Property(o => o.FraudFlag).HasMaxLength(32);
        b.Property(o => o.State).HasConversion<string>().HasMaxLength(16);
        b.Property(o => o.Source).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(o => new { o.ShopId, o.ExternalOrderId }).IsUnique();
        b.HasIndex(o => new { o.BuyerUserId, o.PaidAt });
        b.HasIndex(o => new { o.State, o.PaidAt });
        b.HasIndex(o => o.AttributedClickId);
        // A shop's orders of a period (the seller's new and returning customers).
        b.HasIndex(o => new { o.ShopId, o.PaidAt });
        // A shop customer's orders in time order: their first order (shop_customers) and the cohorts' later orders.
        b.HasIndex(o => new { o.ShopId, o.BuyerRef, o.PaidAt });
        // The fraud page's latest flagged orders, without reading the unflagged ones.
        b.HasIndex(o => o.PaidAt).HasFilter("fraud_flag IS NOT NULL").HasDatabaseName("ix_orders_paid_at_flagged");
        b.HasOne(o => o.Shop).WithMany().HasForeignKey(o => o.ShopId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AllianceUser>().WithMany().HasForeignKey(o => o.BuyerUserId).OnDelete(DeleteBehavior.Restrict);
        // No foreign key to clicks: clicks is partitioned by day (its key is (id, occurred_at)) and old days are
        // dropped by retention (ClickPartitions); an order may outlive the click it was attributed to.
    }
}

/// <summary>One item of an order. Refunds are per line and may be partial.</summary>
public sealed class OrderLine
{
    public long Id { get; set; }
    public long OrderId { get; set; }
    public long ItemId { get; set; }
    public Item Item { get; set; } = null!;
    public int Quantity { get; set; }

    /// <summary>What the buyer paid for the whole line, in fen.</summary>
    public long PaidFen { get; set; }

    public int RefundedQuantity { get; set; }
    public long RefundedFen { get; set; }
}

internal sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> b)
    {
        b.HasIndex(l => new { l.OrderId, l.ItemId }).IsUnique();
        b.HasIndex(l => l.ItemId);
        b.HasOne<Order>().WithMany(o => o.Lines).HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(l => l.Item).WithMany().HasForeignKey(l => l.ItemId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_order_lines_quantity", "quantity > 0");
            t.HasCheckConstraint("ck_order_lines_paid_fen", "paid_fen >= 0");
            t.HasCheckConstraint("ck_order_lines_refunds", "refunded_quantity BETWEEN 0 AND quantity AND refunded_fen BETWEEN 0 AND paid_fen");
        });
    }
}
