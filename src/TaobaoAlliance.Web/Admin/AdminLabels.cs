using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Orders;

namespace TaobaoAlliance.Web.Admin;

/// <summary>How the admin pages name states, in the reader's language.</summary>
public static class AdminLabels
{
    public static string Commission(CommissionState state, IStringLocalizer localizer) => state switch
    {
        CommissionState.Pending => localizer["Pending"],
        CommissionState.Settled => localizer["Settled"],
        CommissionState.Reversed => localizer["Reversed"],
        CommissionState.ClawedBack => localizer["Clawed back"],
        _ => localizer["Voided"],
    };

    public static string Order(OrderState state, IStringLocalizer localizer) => state switch
    {
        OrderState.Paid => localizer["Paid"],
        OrderState.Confirmed => localizer["Confirmed"],
        OrderState.Settled => localizer["Settled"],
        _ => localizer["Refunded"],
    };

    /// <summary>Which rate a commission line earned (CommissionCalculator's kinds).</summary>
    public static string RateKind(string kind, IStringLocalizer localizer) => kind switch
    {
        Attribution.Commissions.CommissionCalculator.ClickedItem => localizer["the clicked item's rate"],
        Attribution.Commissions.CommissionCalculator.ShopGeneral => localizer["the shop's general rate"],
        _ => kind,
    };

    /// <summary>The click path's reasons for an invalid click (ClickRules), and the order fraud flags.</summary>
    public static string Reason(string? reason, IStringLocalizer localizer) => reason switch
    {
        "site_not_approved" => localizer["Site not approved"],
        "link_paused" => localizer["Link paused"],
        "link_preview" => localizer["Link preview or HEAD request"],
        "no_user_agent" => localizer["No user agent"],
        "bot_user_agent" => localizer["Bot user agent"],
        "ip_rate_limit" => localizer["Too many clicks from one IP"],
        "cpc_token_expired" => localizer["Ad clicked after its token expired"],
        "cpc_token_replayed" => localizer["Ad token used again"],
        "cpc_charge_unavailable" => localizer["Ad clicked while the database was away: not charged"],
        "self_purchase" => localizer["Self-purchase"],
        null => "",
        _ => reason,
    };

    public static string Account(AccountKind kind, long? sellerId, long? webmasterId, IStringLocalizer localizer) => kind switch
    {
        AccountKind.SellerWallet => localizer["Wallet of seller {0}", sellerId ?? 0],
        AccountKind.SellerCommissionDue => localizer["Commission due by seller {0}", sellerId ?? 0],
        AccountKind.WebmasterPending => localizer["Pending of webmaster {0}", webmasterId ?? 0],
        AccountKind.WebmasterAvailable => localizer["Available of webmaster {0}", webmasterId ?? 0],
        AccountKind.WebmasterCpcPending => localizer["CPC pending of webmaster {0}", webmasterId ?? 0],
        AccountKind.WebmasterPayoutRequested => localizer["Payout requested by webmaster {0}", webmasterId ?? 0],
        AccountKind.WebmasterPaidOut => localizer["Paid out to webmaster {0}", webmasterId ?? 0],
        AccountKind.PlatformRevenue => localizer["Platform revenue"],
        AccountKind.PlatformSubsidy => localizer["Platform subsidy"],
        _ => localizer["External"],
    };
}
