using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Attribution.Texts;

namespace TaobaoAlliance.Attribution.Commissions;

/// <summary>
/// A click as attribution sees it: when, whether valid, whose, on what, the rates it snapshot, and the
/// CPC campaign when it was a smart-zone ad click.
/// </summary>
public sealed record ClickFacts(
    Guid Id, DateTimeOffset OccurredAt, bool IsValid, string? InvalidReason,
    long WebmasterId, long SiteId, long ItemId, long ShopId, int ItemRateBp, int ShopRateBp, long? CampaignId = null);

/// <summary>Which click won an order, or none, and why — in sentences an admin can read, kept as phrases (<see cref="Phrase"/>).</summary>
public sealed record AttributionDecision(ClickFacts? Winner, IReadOnlyList<Phrase> Phrases)
{
    /// <summary>The note in English.</summary>
    public string Note => Phrases.English();
}

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

        var notes = new List<Phrase>();
        if (explicitClick is not null)
        {
            var id = explicitClick.Id.ToString();
            if (explicitClick.ShopId != orderShopId)
            {
                notes.Add(new(PhraseBook.StoreClickOtherShop, id, PhraseBook.Number(explicitClick.ShopId)));
            }
            else if (explicitClick.IsValid && InWindow(explicitClick))
            {
                return new(explicitClick, [new(PhraseBook.StoreClickWon, id)]);
            }
            else
            {
                notes.Add(explicitClick.IsValid
                    ? new(PhraseBook.StoreClickOutsideWindow, id, Days(window))
                    : new(PhraseBook.StoreClickInvalid, id, Phrase.Reason(explicitClick.InvalidReason)));
            }
        }

        var candidates = visitorClicks.Where(InWindow).OrderByDescending(c => c.OccurredAt).ThenByDescending(c => c.Id).ToList();
        var winner = candidates.FirstOrDefault(c => c.IsValid);
        if (winner is null)
        {
            notes.Add(candidates.Count == 0
                ? new(PhraseBook.NoClicks, Days(window))
                : new(PhraseBook.AllInvalid, PhraseBook.Number(candidates.Count)));
            return new(null, notes);
        }
        var skipped = candidates.TakeWhile(c => c != winner).Count();
        var hours = PhraseBook.Hours((paidAt - winner.OccurredAt).TotalHours);
        notes.Add(skipped > 0
            ? new(PhraseBook.LastValidWonSkipped, winner.Id.ToString(), hours, PhraseBook.Number(skipped))
            : new(PhraseBook.LastValidWon, winner.Id.ToString(), hours));
        return new(winner, notes);
    }

    private static string Days(TimeSpan window) => window.TotalDays.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The terms a commission was calculated with, kept so a refund recomputes it the same way.</summary>
public sealed record CommissionTerms(Money Base, Rate Rate, Rate PlatformFee, int SubsidyBonusBp, Money SubsidyGranted)
{
    /// <summary>What the commission earns on <paramref name="remainingBase"/> (see <see cref="CommissionCalculator.Remaining"/>).</summary>
    public CommissionAmounts RemainingOn(Money remainingBase) =>
        CommissionCalculator.Remaining(remainingBase, Rate, PlatformFee, SubsidyBonusBp, SubsidyGranted);
}

/// <summary>What one order line earned and why (<see cref="Phrase"/>: the formula with its numbers).</summary>
public sealed record LineCommission(int RateBp, string RateKind, Money Base, CommissionAmounts Amounts, Phrase Why)
{
    /// <summary>The explanation in English.</summary>
    public string Explanation => Why.English();
}

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
            ? (new Rate(click.ItemRateBp), ClickedItem, PhraseBook.WhyClickedItem)
            : (new Rate(click.ShopRateBp), ShopGeneral, PhraseBook.WhyShopGeneral);
        var amounts = Split(paid, rate, platformFee);
        return new(rate.BasisPoints, kind, paid, amounts, new Phrase(PhraseBook.CommissionLine,
            paid.ToString(), rate.ToString(), amounts.Commission.ToString(), Phrase.Nested(why),
            platformFee.ToString(), amounts.PlatformFee.ToString(), amounts.Webmaster.ToString()));
    }

    /// <summary>
    /// One sale, one payment (product.md): when the winning click was a CPC campaign's click, charged or a
    /// free repeat, the seller already paid for that visit, so the sale earns no commission on top. Null
    /// for an ordinary link click.
    /// </summary>
    public static string? PaidAdClickNote(ClickFacts click) => PaidAdClickPhrase(click)?.English();

    /// <summary><see cref="PaidAdClickNote"/> as a phrase.</summary>
    public static Phrase? PaidAdClickPhrase(ClickFacts click)
    {
        ArgumentNullException.ThrowIfNull(click);
        return click.CampaignId is { } campaignId ? new Phrase(PhraseBook.PaidAdClick, PhraseBook.Number(campaignId)) : null;
    }

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
