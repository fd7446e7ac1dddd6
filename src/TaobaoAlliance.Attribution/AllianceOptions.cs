using System.ComponentModel.DataAnnotations;

namespace TaobaoAlliance.Attribution;

/// <summary>
/// The defaults of the rules of money (product.md), bound from the <c>Alliance</c> configuration
/// section and validated at start-up. Admins may override them on the settings page.
/// </summary>
public sealed class AllianceOptions
{
    public const string Section = "Alliance";

    /// <summary>Days before an order in which a click can win attribution.</summary>
    [Range(1, 90)] public int AttributionWindowDays { get; set; } = 15;

    /// <summary>The platform's service fee, in basis points of the commission (1000 = 10 %).</summary>
    [Range(0, 10_000)] public int PlatformFeeBp { get; set; } = 1_000;

    /// <summary>Days after payment when an unconfirmed order is confirmed automatically.</summary>
    [Range(1, 60)] public int AutoConfirmDays { get; set; } = 10;

    /// <summary>Days a confirmed order's commission is held before it settles.</summary>
    [Range(0, 60)] public int SettlementHoldDays { get; set; } = 7;

    /// <summary>Smallest payout a webmaster can request, in fen (¥100).</summary>
    [Range(1, 100_000_000)] public long PayoutThresholdFen { get; set; } = 10_000;

    /// <summary>Lowest price a CPC click is ever sold at, in fen (¥0.05).</summary>
    [Range(1, 100_000)] public long CpcReserveFen { get; set; } = 5;

    /// <summary>Webmaster's share of a CPC click price, in basis points (5000 = 50 %).</summary>
    [Range(0, 10_000)] public int CpcWebmasterShareBp { get; set; } = 5_000;

    /// <summary>
    /// The auction's quality prior: every campaign counts as if it had had this many clicks in
    /// <see cref="CpcQualityPriorImpressions"/> impressions (1 in 100: a 1 % click-through rate).
    /// </summary>
    [Range(1, 1_000_000)] public long CpcQualityPriorClicks { get; set; } = 1;

    [Range(1, 100_000_000)] public long CpcQualityPriorImpressions { get; set; } = 100;

    /// <summary>Minutes a served ad's click token stays valid.</summary>
    [Range(1, 1440)] public int CpcClickTokenMinutes { get; set; } = 60;

    /// <summary>Days a paid click's webmaster share stays in CPC pending (voidable) before it becomes available.</summary>
    [Range(0, 60)] public int CpcHoldDays { get; set; } = 3;

    /// <summary>Hours in which a visitor's repeat click on the same campaign is free.</summary>
    [Range(1, 720)] public int CpcRepeatClickFreeHours { get; set; } = 24;

    /// <summary>More clicks than this per minute from one IP on one site are invalid.</summary>
    [Range(1, 10_000)] public int MaxClicksPerMinutePerIpPerSite { get; set; } = 10;
}
