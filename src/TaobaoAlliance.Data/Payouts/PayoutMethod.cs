using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Data.Payouts;

public enum PayoutMethodKind { Alipay, BankCard }

/// <summary>
/// Where a webmaster's payouts go: one per webmaster. The account (Alipay login or card number) is kept only as
/// Data Protection ciphertext (<see cref="ProtectedAccount"/>), beside a masked form that pages may show.
/// </summary>
public sealed class PayoutMethod
{
    public long WebmasterId { get; set; }
    public PayoutMethodKind Kind { get; set; }
    /// <summary>The name the account is held in, as finance must give it to the bank or Alipay.</summary>
    public string HolderName { get; set; } = "";
    /// <summary>The bank's name for a card; empty for Alipay.</summary>
    public string BankName { get; set; } = "";
    public string ProtectedAccount { get; set; } = "";
    public string MaskedAccount { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class PayoutMethodConfiguration : IEntityTypeConfiguration<PayoutMethod>
{
    public void Configure(EntityTypeBuilder<PayoutMethod> b)
    {
        b.HasKey(m => m.WebmasterId);
        b.Property(m => m.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(m => m.HolderName).HasMaxLength(100);
        b.Property(m => m.BankName).HasMaxLength(100);
        b.Property(m => m.ProtectedAccount).HasMaxLength(2000);
        b.Property(m => m.MaskedAccount).HasMaxLength(100);
        b.HasOne<Webmaster>().WithOne().HasForeignKey<PayoutMethod>(m => m.WebmasterId).OnDelete(DeleteBehavior.Cascade);
    }
}
