using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Data.Subsidies;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Data.Commissions;

public enum CommissionState { Pending, Settled, Reversed, ClawedBack, Voided }

/// <summary>
/// What one order line earned for a webmaster, and why. Amounts are fixed when the order is paid;
/// refunds and settlement change the state and post ledger entries, never these amounts.
/// </summary>
public sealed class Commission
{
    public long Id { get; set; }
    public long OrderLineId { get; set; }
    public long OrderId { get; set; }
    public long WebmasterId { get; set; }
    public Guid ClickId { get; set; }
    public long SiteId { get; set; }

    /// <summary>Rate applied, in basis points, and the kind of rate (item, targeted, shop general).</summary>
    public int RateBp { get; set; }
    public string RateKind { get; set; } = "";

    /// <summary>The platform fee rate and subsidy bonus in force when the order was paid, so refunds recompute alike.</summary>
    public int PlatformFeeBp { get; set; }
    public int SubsidyBonusBp { get; set; }

    public long BaseFen { get; set; }
    public long CommissionFen { get; set; }
    public long PlatformFeeFen { get; set; }
    public long WebmasterFen { get; set; }
    public long SubsidyFen { get; set; }
    public long? SubsidyProgrammeId { get; set; }

    /// <summary>
    /// Part of <see cref="BaseFen"/> refunded so far. What the line still earns is the same calculation
    /// on <c>BaseFen - RefundedBaseFen</c>; each refund posts the difference.
    /// </summary>
    public long RefundedBaseFen { get; set; }

    public CommissionState State { get; set; }

    /// <summary>One sentence: why this line earned what it earned.</summary>
    public string Explanation { get; set; } = "";

    /// <summary>
    /// The explanation as phrase codes and arguments (JSON, <c>Attribution.Texts.Phrases</c>), rendered in the reader's
    /// language; null on commissions written before phrases were kept, which show <see cref="Explanation"/> as written.
    /// </summary>
    public string? ExplanationPhrases { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SettledAt { get; set; }

    /// <summary>The winning click's sub-ids, copied when the order is paid: reports, the API and postbacks read them here.</summary>
    public string? Sub1 { get; set; }
    public string? Sub2 { get; set; }
    public string? Sub3 { get; set; }
    public string? Sub4 { get; set; }
    public string? Sub5 { get; set; }
}

internal sealed class CommissionConfiguration : IEntityTypeConfiguration<Commission>
{
    public void Configure(EntityTypeBuilder<Commission> b)
    {
        b.Property(c => c.RateKind).HasMaxLength(16);
        b.Property(c => c.Explanation).HasMaxLength(1000);
        b.Property(c => c.ExplanationPhrases).HasColumnType("jsonb");
        b.Property(c => c.Sub1).HasMaxLength(64);
        b.Property(c => c.Sub2).HasMaxLength(64);
        b.Property(c => c.Sub3).HasMaxLength(64);
        b.Property(c => c.Sub4).HasMaxLength(64);
        b.Property(c => c.Sub5).HasMaxLength(64);
        b.Property(c => c.State).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(c => c.OrderLineId).IsUnique();
        b.HasIndex(c => c.OrderId);
        b.HasIndex(c => new { c.WebmasterId, c.CreatedAt });
        // A webmaster's pending commissions, for when they are expected to settle (WebmasterAccounts.CommissionSettlementsAsync).
        b.HasIndex(c => c.WebmasterId, "ix_commissions_webmaster_id_pending").HasFilter("state = 'Pending'");
        b.HasIndex(c => new { c.State, c.CreatedAt });
        b.HasOne<OrderLine>().WithMany().HasForeignKey(c => c.OrderLineId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Order>().WithMany().HasForeignKey(c => c.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Webmaster>().WithMany().HasForeignKey(c => c.WebmasterId).OnDelete(DeleteBehavior.Restrict);
        // No foreign key to clicks: clicks is partitioned by day (its key is (id, occurred_at)) and old days are
        // dropped by retention (ClickPartitions); the commission keeps its click's id and rates on its own row.
        b.HasIndex(c => c.ClickId);
        b.HasOne<SubsidyProgramme>().WithMany().HasForeignKey(c => c.SubsidyProgrammeId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_commissions_rate_bp", "rate_bp BETWEEN 0 AND 9000 AND platform_fee_bp BETWEEN 0 AND 10000 AND subsidy_bonus_bp BETWEEN 0 AND 10000");
            t.HasCheckConstraint("ck_commissions_amounts",
                "base_fen >= 0 AND commission_fen >= 0 AND platform_fee_fen >= 0 AND webmaster_fen >= 0 AND subsidy_fen >= 0"
                + " AND commission_fen = platform_fee_fen + webmaster_fen");
            t.HasCheckConstraint("ck_commissions_refunded", "refunded_base_fen BETWEEN 0 AND base_fen");
        });
    }
}
