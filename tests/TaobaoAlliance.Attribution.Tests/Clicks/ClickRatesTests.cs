using TaobaoAlliance.Attribution.Clicks;

namespace TaobaoAlliance.Attribution.Tests.Clicks;

public sealed class ClickRatesTests
{
    [Fact]
    public void The_clicked_item_earns_its_own_rate_and_other_items_the_shop_rate() =>
        ClickRates.InForce(itemRateBp: 800, shopGeneralRateBp: 300, bestTargetedPlanRateBp: null)
            .Should().Be(new ClickRates(ItemRateBp: 800, ShopRateBp: 300));

    [Fact]
    public void An_item_without_a_rate_of_its_own_earns_the_shop_rate() =>
        ClickRates.InForce(itemRateBp: null, shopGeneralRateBp: 300, bestTargetedPlanRateBp: null)
            .Should().Be(new ClickRates(300, 300));

    [Fact]
    public void A_higher_targeted_plan_rate_replaces_the_item_rate_but_not_the_shop_rate() =>
        ClickRates.InForce(itemRateBp: 800, shopGeneralRateBp: 300, bestTargetedPlanRateBp: 1500)
            .Should().Be(new ClickRates(1500, 300));

    [Fact]
    public void A_targeted_plan_rate_below_the_public_rate_never_lowers_it() =>
        ClickRates.InForce(itemRateBp: null, shopGeneralRateBp: 600, bestTargetedPlanRateBp: 400)
            .Should().Be(new ClickRates(600, 600));
}
