namespace TaobaoAlliance.Attribution.Clicks;

/// <summary>
/// The rates a click will be paid at, fixed at click time: the clicked item earns its own rate (or the
/// shop's general rate when it has none), raised to the best targeted-plan rate the webmaster is an
/// approved member of; other items of the shop earn the shop's general rate.
/// </summary>
public readonly record struct ClickRates(int ItemRateBp, int ShopRateBp)
{
    /// <param name="itemRateBp">The item's own rate; null when it follows the shop's general rate.</param>
    /// <param name="shopGeneralRateBp">The shop's general rate.</param>
    /// <param name="bestTargetedPlanRateBp">
    /// The highest rate of the shop's plans that apply now to this item and this webmaster (active, in
    /// period, webmaster approved); null when none does.
    /// </param>
    public static ClickRates InForce(int? itemRateBp, int shopGeneralRateBp, int? bestTargetedPlanRateBp)
    {
        var itemRate = itemRateBp ?? shopGeneralRateBp;
        // A plan only ever raises the rate: a seller's plan below the public rate must not cut pay.
        if (bestTargetedPlanRateBp > itemRate) itemRate = bestTargetedPlanRateBp.Value;
        return new ClickRates(itemRate, shopGeneralRateBp);
    }
}
