using Microsoft.Extensions.Localization;

namespace TaobaoAlliance.Web.Admin;

/// <summary>
/// A journal entry as the admin pages describe it, in the reader's language: the entry's kind is its code and its
/// order or payout request the argument. A kind this version does not know keeps the English description the ledger stored.
/// </summary>
public static class LedgerText
{
    public static string Describe(string kind, long? orderId, long? payoutRequestId, string storedDescription, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        return kind switch
        {
            "commission.accrued" when orderId is { } o => localizer["Commission accrued on order {0}", o],
            "commission.settled" when orderId is { } o => localizer["Commission settled on order {0}", o],
            "commission.reversed" when orderId is { } o => localizer["Commission reversed by a refund on order {0}", o],
            "commission.clawback" when orderId is { } o => localizer["Commission clawed back by a refund on order {0}", o],
            "payout.requested" when payoutRequestId is { } p => localizer["Payout {0} requested", p],
            "payout.approved" when payoutRequestId is { } p => localizer["Payout {0} approved and paid", p],
            "payout.rejected" when payoutRequestId is { } p => localizer["Payout {0} rejected; money returned to available", p],
            "cpc.released" => localizer["CPC earnings released after the hold"],
            "cpc.voided" => localizer["Paid CPC clicks voided by an admin"],
            _ => storedDescription,
        };
    }

    /// <summary>The entry's kind as a short label (the code stays in the title for whoever searches logs by it).</summary>
    public static string Kind(string kind, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        return kind switch
        {
            "commission.accrued" => localizer["Commission accrued"],
            "commission.settled" => localizer["Commission settled"],
            "commission.reversed" => localizer["Commission reversed"],
            "commission.clawback" => localizer["Commission clawed back"],
            "wallet.deposit" => localizer["Deposit"],
            "cpc.clicks" => localizer["Paid ad clicks"],
            "cpc.released" => localizer["CPC earnings released"],
            "cpc.voided" => localizer["Paid ad clicks voided"],
            "payout.requested" => localizer["Payout requested"],
            "payout.approved" => localizer["Payout approved"],
            "payout.rejected" => localizer["Payout rejected"],
            _ => kind,
        };
    }
}
