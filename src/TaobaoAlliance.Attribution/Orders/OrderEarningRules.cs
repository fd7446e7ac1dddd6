using TaobaoAlliance.Attribution.Commissions;
using TaobaoAlliance.Attribution.Texts;

namespace TaobaoAlliance.Attribution.Orders;

/// <summary>Why an order with a winning click earns no sale commission.</summary>
public enum NoCommissionReason { SelfPurchase, OtherShop, PaidAdClick }

/// <summary>Whether an attributed order earns, the fraud flag it gets, and what its attribution note adds.</summary>
public sealed record OrderEarning(NoCommissionReason? Reason, string? FraudFlag, Phrase? Why)
{
    public bool Earns => Reason is null;

    /// <summary>What the attribution note adds, in English ("" when the order earns).</summary>
    public string Note => Why?.English() ?? "";
}

/// <summary>
/// What an order earns once its winning click is known (product.md): a self-purchase earns nothing and is
/// flagged; a click for another shop earns nothing on this shop's order; a paid ad click was paid for already.
/// </summary>
public static class OrderEarningRules
{
    /// <summary>The fraud flag of an order bought by the webmaster who clicked.</summary>
    public const string SelfPurchaseFlag = "self_purchase";

    /// <summary>
    /// Whether <paramref name="winner"/> earns on an order of <paramref name="orderShopId"/> bought by
    /// <paramref name="buyerUserId"/>, when the clicking webmaster's user is <paramref name="webmasterUserId"/>.
    /// </summary>
    public static OrderEarning Decide(ClickFacts winner, long orderShopId, long? buyerUserId, long webmasterUserId)
    {
        ArgumentNullException.ThrowIfNull(winner);
        if (buyerUserId == webmasterUserId)
        {
            return new(NoCommissionReason.SelfPurchase, SelfPurchaseFlag, new Phrase(PhraseBook.SelfPurchase));
        }
        if (winner.ShopId != orderShopId)
        {
            return new(NoCommissionReason.OtherShop, null, new Phrase(PhraseBook.OtherShop, PhraseBook.Number(winner.ShopId)));
        }
        return CommissionCalculator.PaidAdClickPhrase(winner) is { } paidAd
            ? new(NoCommissionReason.PaidAdClick, null, paidAd)
            : new(null, null, null);
    }
}
