using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TaobaoAlliance.Data.Reports;

// Rollups of the clicks table, one row per China day and dimension. Only the AFTER INSERT statement trigger on
// clicks writes them (migration ReportRollups), in the transaction that inserts the clicks, whoever inserts them
// (the click writer's COPY, the spool replay, the CPC click's EF insert, bench/generate.sql): the app only reads.
// Each table keeps to the dimensions one report groups by, so it stays far smaller than the clicks themselves.
// Every row also has a Shard (migration ShardedClickRollups): the inserting session's backend pid modulo
// RollupShards.Count. Concurrent writers (the click writer of each node, the campaign grains, the spool replay) then
// add to different rows of a hot key instead of queueing on one row's lock until each other's commit. A key's count
// is the sum over its shards: every reader sums anyway (over days, sites, zones), so no query changes.

/// <summary>How many rows a hot rollup key is spread over.</summary>
public static class RollupShards
{
    public const int Count = 16;
}

/// <summary>Clicks of a China day per webmaster, site and zone: the webmaster's reports by day, site and zone, the admin's measured traffic.</summary>
public sealed class ClickDaySite
{
    /// <summary>Which of the key's rows (see <see cref="RollupShards"/>).</summary>
    public short Shard { get; set; }
    public DateOnly Day { get; set; }
    public long WebmasterId { get; set; }
    public long SiteId { get; set; }
    public long ZoneId { get; set; }
    public long Valid { get; set; }
    public long Invalid { get; set; }
}

/// <summary>
/// Clicks of a China day per item: the library's EPC, a shop's conversion rate. No shop: those pages count an
/// item's clicks under the shop the item belongs to now, so they join items.
/// </summary>
public sealed class ClickDayItem
{
    /// <summary>Which of the key's rows (see <see cref="RollupShards"/>).</summary>
    public short Shard { get; set; }
    public DateOnly Day { get; set; }
    public long ItemId { get; set; }
    public long Valid { get; set; }
    public long Invalid { get; set; }
}

/// <summary>Clicks of a China day per webmaster and item: the webmaster's report by item.</summary>
public sealed class ClickDayWebmasterItem
{
    /// <summary>Which of the key's rows (see <see cref="RollupShards"/>).</summary>
    public short Shard { get; set; }
    public DateOnly Day { get; set; }
    public long WebmasterId { get; set; }
    public long ItemId { get; set; }
    public long Valid { get; set; }
    public long Invalid { get; set; }
}

/// <summary>
/// Clicks of a China day per site and outcome: <see cref="Reason"/> is the invalid reason, or empty for valid
/// clicks (an invalid click always has a reason: ck_clicks_invalid_reason). The admin's fraud counts.
/// </summary>
public sealed class ClickDayReason
{
    /// <summary>Which of the key's rows (see <see cref="RollupShards"/>).</summary>
    public short Shard { get; set; }
    public DateOnly Day { get; set; }
    public long SiteId { get; set; }
    public string Reason { get; set; } = "";
    public long Clicks { get; set; }
}

/// <summary>
/// Clicks of a China day per webmaster, site and sub1 (empty for clicks without one): the webmaster's report by
/// sub-id and filtered by sub1. Only sub1 has a rollup (the slot networks use for the campaign or page); sales by any
/// sub-id come from the commissions, which carry all five.
/// </summary>
public sealed class ClickDaySub
{
    /// <summary>Which of the key's rows (see <see cref="RollupShards"/>).</summary>
    public short Shard { get; set; }
    public DateOnly Day { get; set; }
    public long WebmasterId { get; set; }
    public long SiteId { get; set; }
    public string Sub1 { get; set; } = "";
    public long Valid { get; set; }
    public long Invalid { get; set; }
}

internal sealed class ClickDaySubConfiguration : IEntityTypeConfiguration<ClickDaySub>
{
    public void Configure(EntityTypeBuilder<ClickDaySub> b)
    {
        b.ToTable("click_day_subs");
        b.Property(r => r.Sub1).HasMaxLength(64);
        b.HasKey(r => new { r.WebmasterId, r.Day, r.SiteId, r.Sub1, r.Shard });
    }
}

internal sealed class ClickDaySiteConfiguration : IEntityTypeConfiguration<ClickDaySite>
{
    public void Configure(EntityTypeBuilder<ClickDaySite> b)
    {
        b.ToTable("click_day_sites");
        // Key order is the lock order of the trigger's upsert, and the webmaster's report reads by its prefix.
        b.HasKey(r => new { r.WebmasterId, r.Day, r.SiteId, r.ZoneId, r.Shard });
        b.HasIndex(r => new { r.SiteId, r.Day });
        b.HasIndex(r => r.Day);
    }
}

internal sealed class ClickDayItemConfiguration : IEntityTypeConfiguration<ClickDayItem>
{
    public void Configure(EntityTypeBuilder<ClickDayItem> b)
    {
        b.ToTable("click_day_items");
        b.HasKey(r => new { r.Day, r.ItemId, r.Shard });
        b.HasIndex(r => new { r.ItemId, r.Day });
    }
}

internal sealed class ClickDayWebmasterItemConfiguration : IEntityTypeConfiguration<ClickDayWebmasterItem>
{
    public void Configure(EntityTypeBuilder<ClickDayWebmasterItem> b)
    {
        b.ToTable("click_day_webmaster_items");
        b.HasKey(r => new { r.WebmasterId, r.Day, r.ItemId, r.Shard });
    }
}

internal sealed class ClickDayReasonConfiguration : IEntityTypeConfiguration<ClickDayReason>
{
    public void Configure(EntityTypeBuilder<ClickDayReason> b)
    {
        b.ToTable("click_day_reasons");
        b.Property(r => r.Reason).HasMaxLength(32);
        b.HasKey(r => new { r.Day, r.SiteId, r.Reason, r.Shard });
        // The webmaster's report reads a period of their own sites' reasons (WebmasterReport.InvalidReasonsAsync).
        b.HasIndex(r => new { r.SiteId, r.Day });
    }
}
