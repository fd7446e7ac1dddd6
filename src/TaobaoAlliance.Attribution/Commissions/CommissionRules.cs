using TaobaoAlliance.Attribution.Ledger;

namespace TaobaoAlliance.Attribution.Commissions;

/// <summary>
/// A click as attribution sees it: when, whether valid, whose, on what, the rates it snapshot, and the
/// CPC campaign when it was a smart-zone ad click.
/// </summary>
public sealed record ClickFacts(
    Guid Id, DateTimeOffset OccurredAt, bool IsValid, string? InvalidReason,
    long WebmasterId, long SiteId, long ItemId, long ShopId, int ItemRateBp, int ShopRateBp, long? CampaignId = null);

/// <summary>Which click won an order, or none, and why — in a sentence an admin can read.</summary>
public sealed record AttributionDecision(ClickFacts? Winner, string Note);

/// <summary>The last-click rule of product.md.</summary>
public static class LastClickAttribution
{
    /// <summary>
    /// An explicit click id (sent back by the store) beats the visitor cookie when it is valid, inside
    /// the window and a click on the ordering shop (<paramref name="orderShopId"/>); otherwise the
    /// visitor's last valid click within the window before payment wins. Invalid clicks never win.
    /// A click exactly <paramref name="window"/> before payment is still inside.
    /// </summary>
    /// <remarks>
    /// The store's click id is only its word: a store could name any click on the platform, so one for
    /// another shop is kept as a hint and never wins (it would put this shop's order, and its amounts,
    /// into another webmaster's reports).
    /// </remarks>
    public static AttributionDecision Decide(ClickFacts? explicitClick, IEnumerable<ClickFacts> visitorClicks, DateTimeOffset paidAt, TimeSpan window,
        long orderShopId)
    {
        bool InWindow(ClickFacts c) => c.OccurredAt <= paidAt && c.OccurredAt >= paidAt - window;

        var notes = new List<string>();
        if (explicitClick is not null)
        {
            if (explicitClick.ShopId != orderShopId)
            {
                notes.Add($"The store's click {explicitClick.Id} is for shop {explicitClick.ShopId}, not this shop: kept as a hint only.");
            }
            else if (explicitClick.IsValid && InWindow(explicitClick))
            {
                return new(explicitClick, $"Click {explicitClick.Id} won: the store sent its id back, which beats the visitor cookie.");
            }
            else
            {
                notes.Add(explicitClick.IsValid
                    ? $"The store's click {explicitClick.Id} is outside the {window.TotalDays:0}-day window."
                    : $"The store's click {explicitClick.Id} is invalid ({explicitClick.InvalidReason}).");
            }
        }

        var candidates = visitorClicks.Where(InWindow).OrderByDescending(c => c.OccurredAt).ThenByDescending(c => c.Id).ToList();
        var winner = candidates.FirstOrDefault(c => c.IsValid);
        if (winner is null)
        {
            notes.Add(candidates.Count == 0
                ? $"No click by this visitor in the {window.TotalDays:0} days before payment."
                : $"All {candidates.Count} clicks by this visitor in the window are invalid.");
            return new(null, string.Join(" ", notes));
        }
        var skipped = candidates.TakeWhile(c => c != winner).Count();
        notes.Add($"Click {winner.Id} won: the visitor's last valid click, {(paidAt - winner.OccurredAt).TotalHours:0.#} h before payment"
            + (skipped > 0 ? $" ({skipped} later invalid click(s) ignored)." : "."));
        return new(winner, string.Join(" ", notes));
    }
}

/// <summary>The terms a commission was calculated with, kept so a refund recomputes it the same way.</summary>
public sealed record CommissionTerms(Money Base, Rate Rate, Rate PlatformFee, int SubsidyBonusBp, Money SubsidyGranted)
{
    /// <summary>What the commission earns on <paramref name="remainingBase"/> (see <see cref="CommissionCalculator.Remaining"/>).</summary>
    public CommissionAmounts RemainingOn(Money remainingBase) =>
        CommissionCalculator.Remaining(remainingBase, Rate, PlatformFee, SubsidyBonusBp, SubsidyGranted);
}

/// <summary>What one order line earned and why.</summary>
public sealed record LineCommission(int RateBp, string RateKind, Money Base, CommissionAmounts Amounts, string Explanation);

/// <summary>Commission per order line: rate by click, fee split, rounding half away from zero per line.</summary>
public static class CommissionCalculator
{
    public const string ClickedItem = "clicked_item";
    public const string ShopGeneral = "shop_general";

    /// <summary>
    /// The clicked item earns the rate it had at click time; other items of the same shop earn the shop's
    /// general rate at click time; items of other shops earn nothing (null), and neither does anything
    /// after a smart-zone ad click (see <see cref="PaidAdClickNote"/>).
    /// </summary>
    public static LineCommission? ForLine(ClickFacts click, long lineShopId, long lineItemId, Money paid, Rate platformFee)
    {
        if (lineShopId != click.ShopId || click.CampaignId is not null) return null;
        var (rate, kind, why) = lineItemId == click.ItemId
            ? (new Rate(click.ItemRateBp), ClickedItem, "the clicked item, at its rate at click time")
            : (new Rate(click.ShopRateBp), ShopGeneral, "another item of the clicked shop, at the shop's general rate at click time");
        var amounts = Split(paid, rate, platformFee);
        return new(rate.BasisPoints, kind, paid, amounts,
            $"{paid} × {rate} = {amounts.Commission} ({why}); platform fee {platformFee} = {amounts.PlatformFee}; webmaster {amounts.Webmaster}.");
    }

    /// <summary>
    /// One sale, one payment (product.md): when the winning click was a CPC campaign's click, charged or a
    /// free repeat, the seller already paid for that visit, so the sale earns no commission on top. Null
    /// for an ordinary link click.
    /// </summary>
    public static string? PaidAdClickNote(ClickFacts click) => click.CampaignId is { } campaignId
        ? $"The winning click was a paid ad click (campaign {campaignId}): the seller already paid for it, so no sale commission."
        : null;

    /// <summary>Commission = paid × rate; fee = commission × fee rate; webmaster = the rest. Each rounded to whole fen.</summary>
    public static CommissionAmounts Split(Money paid, Rate rate, Rate platformFee)
    {
        var commission = paid.Times(rate);
        var fee = commission.Times(platformFee);
        return new(commission, fee, commission - fee, Money.Zero);
    }

    /// <summary>The bonus a subsidy would add to a webmaster share, before its cap.</summary>
    public static Money Bonus(Money webmasterShare, int bonusBp) => webmasterShare.Times(new Rate(bonusBp));

    /// <summary>
    /// What a line still earns after part of it was refunded: the same calculation on what remains paid,
    /// the subsidy never more than was granted.
    /// </summary>
    public static CommissionAmounts Remaining(Money remainingBase, Rate rate, Rate platformFee, int subsidyBonusBp, Money subsidyGranted)
    {
        var split = Split(remainingBase, rate, platformFee);
        return split with { Subsidy = Money.Min(subsidyGranted, Bonus(split.Webmaster, subsidyBonusBp)) };
    }
}
