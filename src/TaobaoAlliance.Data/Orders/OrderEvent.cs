using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Data.Orders;

/// <summary>
/// An order event already processed (from the Orders API or the storefront), with the answer given.
/// The same event again finds this row and gets the same answer, changing nothing.
/// </summary>
public sealed class OrderEvent
{
    public long Id { get; set; }
    public long ShopId { get; set; }
    public string ExternalOrderId { get; set; } = "";
    public string Event { get; set; } = "";

    /// <summary>Identifies the event: its type, time and lines (SHA-256, hex).</summary>
    public string EventKey { get; set; } = "";

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The JSON answer returned the first time.</summary>
    public string Result { get; set; } = "";
}

internal sealed class OrderEventConfiguration : IEntityTypeConfiguration<OrderEvent>
{
    public void Configure(EntityTypeBuilder<OrderEvent> b)
    {
        b.Property(e => e.ExternalOrderId).HasMaxLength(64);
        b.Property(e => e.Event).HasMaxLength(16);
        b.Property(e => e.EventKey).HasMaxLength(64);
        b.Property(e => e.Result).HasColumnType("jsonb");
        b.HasIndex(e => new { e.ShopId, e.EventKey }).IsUnique();
        b.HasOne<Shop>().WithMany().HasForeignKey(e => e.ShopId).OnDelete(DeleteBehavior.Restrict);
    }
}
