using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Data.Catalog;

/// <summary>
/// Every change of a shop's general rate or an item's rate, kept so that "the rate in force at click
/// time" can be shown and audited. (The click also snapshots the rates it will be paid at.)
/// </summary>
public sealed class CommissionRateChange
{
    public long Id { get; set; }
    public long ShopId { get; set; }
    public long? ItemId { get; set; }
    public int? RateBp { get; set; }
    public DateTimeOffset EffectiveFrom { get; set; }
    public long? ChangedByUserId { get; set; }
}

internal sealed class CommissionRateChangeConfiguration : IEntityTypeConfiguration<CommissionRateChange>
{
    public void Configure(EntityTypeBuilder<CommissionRateChange> b)
    {
        b.HasIndex(c => new { c.ShopId, c.ItemId, c.EffectiveFrom });
        b.HasOne<Shop>().WithMany().HasForeignKey(c => c.ShopId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Item>().WithMany().HasForeignKey(c => c.ItemId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AllianceUser>().WithMany().HasForeignKey(c => c.ChangedByUserId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("ck_commission_rate_changes_rate_bp", "rate_bp BETWEEN 0 AND 9000"));
    }
}

/// <summary>A higher rate a seller offers to the webmasters they approve, on one item or the whole shop.</summary>
public sealed class TargetedPlan
{
    public long Id { get; set; }
    public long ShopId { get; set; }
    public Shop Shop { get; set; } = null!;

    /// <summary>The item the plan pays on; null means every item of the shop.</summary>
    public long? ItemId { get; set; }

    public string Name { get; set; } = "";
    public int RateBp { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset? EndsAt { get; set; }
    public bool IsActive { get; set; } = true;
    public List<TargetedPlanMember> Members { get; } = [];
}

internal sealed class TargetedPlanConfiguration : IEntityTypeConfiguration<TargetedPlan>
{
    public void Configure(EntityTypeBuilder<TargetedPlan> b)
    {
        b.Property(p => p.Name).HasMaxLength(100);
        b.HasIndex(p => new { p.ShopId, p.ItemId });
        b.HasOne(p => p.Shop).WithMany().HasForeignKey(p => p.ShopId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Item>().WithMany().HasForeignKey(p => p.ItemId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_targeted_plans_rate_bp", "rate_bp BETWEEN 0 AND 9000");
            t.HasCheckConstraint("ck_targeted_plans_period", "ends_at IS NULL OR ends_at > starts_at");
        });
    }
}

public enum PlanMembershipState { Applied, Approved, Rejected }

/// <summary>A webmaster's application to a targeted plan and the seller's answer.</summary>
public sealed class TargetedPlanMember
{
    public long PlanId { get; set; }
    public long WebmasterId { get; set; }
    public PlanMembershipState State { get; set; }
    public DateTimeOffset AppliedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}

internal sealed class TargetedPlanMemberConfiguration : IEntityTypeConfiguration<TargetedPlanMember>
{
    public void Configure(EntityTypeBuilder<TargetedPlanMember> b)
    {
        b.HasKey(m => new { m.PlanId, m.WebmasterId });
        b.Property(m => m.State).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(m => m.WebmasterId);
        b.HasOne<TargetedPlan>().WithMany(p => p.Members).HasForeignKey(m => m.PlanId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Webmaster>().WithMany().HasForeignKey(m => m.WebmasterId).OnDelete(DeleteBehavior.Restrict);
    }
}
