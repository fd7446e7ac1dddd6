using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Data.Payouts;

/// <summary>Requested → Approved (the money has left the balance, finance owes it) → Paid (with the transfer's reference); or Rejected.</summary>
public enum PayoutState { Requested, Approved, Rejected, Paid }

/// <summary>A webmaster's request to be paid their available balance. Approved is final; Paid records finance's transfer.</summary>
public sealed class PayoutRequest
{
    public long Id { get; set; }
    public long WebmasterId { get; set; }
    public long AmountFen { get; set; }
    public PayoutState State { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public long? DecidedByUserId { get; set; }
    public string? Reason { get; set; }
    /// <summary>When finance's transfer was recorded, by whom, and its reference (Alipay or bank transaction id).</summary>
    public DateTimeOffset? PaidAt { get; set; }
    public long? PaidByUserId { get; set; }
    public string? PaidReference { get; set; }
}

internal sealed class PayoutRequestConfiguration : IEntityTypeConfiguration<PayoutRequest>
{
    public void Configure(EntityTypeBuilder<PayoutRequest> b)
    {
        b.Property(p => p.State).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.Reason).HasMaxLength(1000);
        b.Property(p => p.PaidReference).HasMaxLength(100);
        b.HasOne<AllianceUser>().WithMany().HasForeignKey(p => p.PaidByUserId).OnDelete(DeleteBehavior.Restrict);
        // One open request per webmaster, held by the database rather than by a check-then-insert.
        b.HasIndex(p => p.WebmasterId).IsUnique().HasFilter("state = 'Requested'").HasDatabaseName("ux_payout_requests_one_open");
        b.HasIndex(p => new { p.State, p.RequestedAt });
        b.HasOne<Webmaster>().WithMany().HasForeignKey(p => p.WebmasterId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AllianceUser>().WithMany().HasForeignKey(p => p.DecidedByUserId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("ck_payout_requests_amount_fen", "amount_fen > 0"));
    }
}
