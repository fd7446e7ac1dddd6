using TaobaoAlliance.Attribution.Commissions;

namespace TaobaoAlliance.Attribution.Tests.Commissions;

/// <summary>One sale, one payment: what a line earns after a link click and after a smart-zone ad click.</summary>
public sealed class CommissionCalculatorTests
{
    private static ClickFacts Click(long? campaignId) =>
        new(Guid.NewGuid(), DateTimeOffset.UnixEpoch, true, null, WebmasterId: 1, SiteId: 1, ItemId: 10, ShopId: 1, ItemRateBp: 500, ShopRateBp: 300, campaignId);

    [Fact]
    public void A_link_click_earns_commission_and_needs_no_paid_ad_note()
    {
        var click = Click(campaignId: null);

        CommissionCalculator.ForLine(click, 1, 10, new Money(10_000), new Rate(1_000))!.Amounts.Commission.Should().Be(new Money(500));
        CommissionCalculator.PaidAdClickNote(click).Should().BeNull();
    }

    [Fact]
    public void A_smart_zone_ad_click_earns_no_commission_on_any_line_and_says_why()
    {
        var click = Click(campaignId: 42);

        CommissionCalculator.ForLine(click, 1, 10, new Money(10_000), new Rate(1_000)).Should().BeNull("the clicked item");
        CommissionCalculator.ForLine(click, 1, 11, new Money(10_000), new Rate(1_000)).Should().BeNull("another item of the shop");
        CommissionCalculator.PaidAdClickNote(click).Should().Be(
            "The winning click was a paid ad click (campaign 42): the seller already paid for it, so no sale commission.");
    }
}
