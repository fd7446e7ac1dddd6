using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Data.Wallet;

public enum DepositState { Pending, Succeeded, Failed }

/// <summary>
/// One attempt to fund a seller's wallet through the payment gateway. It is written before the gateway is
/// asked, so a timeout leaves a visible pending row; only a succeeded deposit posts a ledger entry.
/// </summary>
public sealed class WalletDeposit
{
    public long Id { get; set; }
    public long SellerId { get; set; }
    public long AmountFen { get; set; }
    public DepositState State { get; set; }

    /// <summary>The gateway's payment reference, once it answered.</summary>
    public string? GatewayReference { get; set; }

    /// <summary>Why the gateway refused or did not answer, in words the seller can read.</summary>
    public string? FailureReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

internal sealed class WalletDepositConfiguration : IEntityTypeConfiguration<WalletDeposit>
{
    public void Configure(EntityTypeBuilder<WalletDeposit> b)
    {
        b.Property(d => d.State).HasConversion<string>().HasMaxLength(16);
        b.Property(d => d.GatewayReference).HasMaxLength(64);
        b.Property(d => d.FailureReason).HasMaxLength(200);
        b.HasIndex(d => new { d.SellerId, d.CreatedAt });
        b.HasOne<Seller>().WithMany().HasForeignKey(d => d.SellerId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("ck_wallet_deposits_amount_fen", "amount_fen > 0"));
    }
}
