using TaobaoAlliance.Attribution.Cpc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Data.Cpc;

public enum CampaignState { Active, Paused }

/// <summary>A seller's pay-per-click campaign competing in the smart-zone auction.</summary>
public sealed class Campaign
{
    public long Id { get; set; }
    public long ShopId { get; set; }
    public Shop Shop { get; set; } = null!;
    public string Name { get; set; } = "";
    public long BidFen { get; set; }
    public long DailyBudgetFen { get; set; }
    public CampaignState State { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset? EndsAt { get; set; }

    /// <summary>
    /// Impressions and charged clicks so far: their ratio is the quality score of the auction. Free repeats
    /// and invalid clicks are left out, so no one can lower a campaign's price by clicking it again.
    /// </summary>
    public long Impressions { get; set; }
    public long Clicks { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public List<CampaignItem> Items { get; } = [];
    public List<CampaignCategory> Categories { get; } = [];
}

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> b)
    {
        b.Property(c => c.Name).HasMaxLength(100);
        b.Property(c => c.State).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(c => new { c.ShopId, c.State });
        b.HasOne(c => c.Shop).WithMany().HasForeignKey(c => c.ShopId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_campaigns_bid_fen", "bid_fen > 0");
            t.HasCheckConstraint("ck_campaigns_daily_budget_fen", "daily_budget_fen > 0");
            t.HasCheckConstraint("ck_campaigns_counters", "impressions >= 0 AND clicks >= 0");
        });
    }
}

/// <summary>An item a campaign advertises.</summary>
public sealed class CampaignItem
{
    public long CampaignId { get; set; }
    public long ItemId { get; set; }
}

internal sealed class CampaignItemConfiguration : IEntityTypeConfiguration<CampaignItem>
{
    public void Configure(EntityTypeBuilder<CampaignItem> b)
    {
        b.HasKey(ci => new { ci.CampaignId, ci.ItemId });
        b.HasOne<Campaign>().WithMany(c => c.Items).HasForeignKey(ci => ci.CampaignId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Item>().WithMany().HasForeignKey(ci => ci.ItemId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>A site category a campaign targets.</summary>
public sealed class CampaignCategory
{
    public long CampaignId { get; set; }
    public int CategoryId { get; set; }
}

internal sealed class CampaignCategoryConfiguration : IEntityTypeConfiguration<CampaignCategory>
{
    public void Configure(EntityTypeBuilder<CampaignCategory> b)
    {
        b.HasKey(cc => new { cc.CampaignId, cc.CategoryId });
        b.HasIndex(cc => cc.CategoryId);
        b.HasOne<Campaign>().WithMany(c => c.Categories).HasForeignKey(cc => cc.CampaignId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Category>().WithMany().HasForeignKey(cc => cc.CategoryId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>
/// A campaign's spend on one day. Charging raises <see cref="SpentFen"/> with a guarded update, and the
/// check constraint makes overspending impossible even if the guard were wrong.
/// </summary>
public sealed class CampaignDailySpend
{
    public long CampaignId { get; set; }
    public DateOnly Day { get; set; }
    public long SpentFen { get; set; }
    public long BudgetFen { get; set; }
    public int Clicks { get; set; }
}

internal sealed class CampaignDailySpendConfiguration : IEntityTypeConfiguration<CampaignDailySpend>
{
    public void Configure(EntityTypeBuilder<CampaignDailySpend> b)
    {
        b.HasKey(s => new { s.CampaignId, s.Day });
        b.HasOne<Campaign>().WithMany().HasForeignKey(s => s.CampaignId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("ck_campaign_daily_spends_budget", "spent_fen BETWEEN 0 AND budget_fen AND clicks >= 0"));
    }
}

/// <summary>What one CPC click cost the seller and how it was split (zero unless <see cref="CpcChargeOutcome.Charged"/>).</summary>
public sealed class CpcCharge
{
    public long Id { get; set; }
    public long CampaignId { get; set; }
    public Guid ClickId { get; set; }

    /// <summary>The served impression the click came from; unique, so one ad view can be paid for once.</summary>
    public Guid ImpressionId { get; set; }

    public long ZoneId { get; set; }
    public long WebmasterId { get; set; }
    public long PriceFen { get; set; }
    public long WebmasterShareFen { get; set; }
    public long PlatformMarginFen { get; set; }
    public CpcChargeOutcome Outcome { get; set; }
    public DateOnly Day { get; set; }
    public DateTimeOffset ChargedAt { get; set; }

    /// <summary>When the webmaster's share left the CPC hold (moved from CPC pending to available); null while held.</summary>
    public DateTimeOffset? ReleasedAt { get; set; }

    /// <summary>SQL of a paid charge still in the CPC hold: neither released nor voided.</summary>
    public const string HeldFilter = "outcome = 'Charged' AND released_at IS NULL AND voided_at IS NULL";

    /// <summary>When an admin voided the click (its money went back); a voided charge is never released or voided again.</summary>
    public DateTimeOffset? VoidedAt { get; set; }
}

internal sealed class CpcChargeConfiguration : IEntityTypeConfiguration<CpcCharge>
{
    public void Configure(EntityTypeBuilder<CpcCharge> b)
    {
        b.HasIndex(c => c.ClickId).IsUnique();
        b.HasIndex(c => c.ImpressionId).IsUnique();
        b.Property(c => c.Outcome).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(c => new { c.CampaignId, c.Day });
        b.HasIndex(c => new { c.WebmasterId, c.ChargedAt });
        // The charges still in the CPC hold, for the release run (oldest first) and the webmaster's balance page; partial,
        // so it holds only the hold's few days of paid clicks and a released or voided charge leaves it. One index, not two:
        // every paid click pays for it on the hot path.
        b.HasIndex(c => new { c.ChargedAt, c.WebmasterId }).HasFilter(CpcCharge.HeldFilter);
        b.HasOne<Campaign>().WithMany().HasForeignKey(c => c.CampaignId).OnDelete(DeleteBehavior.Restrict);
        // No foreign key to clicks: clicks is partitioned by day and old days are dropped by retention (ClickPartitions).
        b.HasOne<AdZone>().WithMany().HasForeignKey(c => c.ZoneId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Webmaster>().WithMany().HasForeignKey(c => c.WebmasterId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_cpc_charges_split",
            "price_fen >= 0 AND webmaster_share_fen >= 0 AND platform_margin_fen >= 0 AND price_fen = webmaster_share_fen + platform_margin_fen"
            + " AND (outcome = 'Charged' OR price_fen = 0)");
            t.HasCheckConstraint("ck_cpc_charges_hold", "(released_at IS NULL AND voided_at IS NULL) OR outcome = 'Charged'");
        });
    }
}
