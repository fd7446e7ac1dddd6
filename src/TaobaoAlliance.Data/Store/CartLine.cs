using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Data.Store;

/// <summary>An item in a signed-in buyer's cart on the built-in storefront.</summary>
public sealed class CartLine
{
    public long UserId { get; set; }
    public long ItemId { get; set; }
    public Item Item { get; set; } = null!;
    public int Quantity { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

internal sealed class CartLineConfiguration : IEntityTypeConfiguration<CartLine>
{
    public void Configure(EntityTypeBuilder<CartLine> b)
    {
        b.HasKey(c => new { c.UserId, c.ItemId });
        b.HasOne<AllianceUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(c => c.Item).WithMany().HasForeignKey(c => c.ItemId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("ck_cart_lines_quantity", "quantity BETWEEN 1 AND 99"));
    }
}
