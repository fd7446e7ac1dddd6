using TaobaoAlliance.Attribution.Texts;
using TaobaoAlliance.Attribution.Commissions;
using TaobaoAlliance.Attribution.Orders;

namespace TaobaoAlliance.Attribution.Tests.Orders;

/// <summary>
/// What an order earns once its winning click is known (product.md): nothing for a self-purchase (flagged),
/// for a click on another shop, or after a paid ad click; otherwise its lines earn commission.
/// </summary>
public sealed class OrderEarningRulesTests
{
    private const long Shop = 400;
    private const long WebmasterUser = 9;

    private static readonly ClickFacts Click = new(
        Guid.Parse("6f1c2a55-0000-4000-8000-000000000001"), new DateTimeOffset(2025, 6, 1, 9, 0, 0, TimeSpan.Zero),
        IsValid: true, InvalidReason: null, WebmasterId: 17, SiteId: 23, ItemId: 300, ShopId: Shop, ItemRateBp: 550, ShopRateBp: 200);

    [Fact]
    public void A_click_on_the_shop_earns_for_another_buyer_or_a_guest()
    {
        OrderEarningRules.Decide(Click, Shop, buyerUserId: 10, WebmasterUser).Should().Be(new OrderEarning(null, null, null));
        OrderEarningRules.Decide(Click, Shop, buyerUserId: null, WebmasterUser).Earns.Should().BeTrue();
    }

    [Fact]
    public void A_self_purchase_earns_nothing_and_is_flagged()
    {
        var earning = OrderEarningRules.Decide(Click, Shop, buyerUserId: WebmasterUser, WebmasterUser);

        earning.Earns.Should().BeFalse();
        earning.Reason.Should().Be(NoCommissionReason.SelfPurchase);
        earning.FraudFlag.Should().Be("self_purchase");
        earning.Note.Should().Be("Self-purchase: the buyer is the webmaster who clicked, so nothing is earned.");
    }

    [Fact]
    public void A_self_purchase_is_flagged_even_on_another_shop() =>
        OrderEarningRules.Decide(Click, orderShopId: 401, WebmasterUser, WebmasterUser).Reason.Should().Be(NoCommissionReason.SelfPurchase);

    [Fact]
    public void A_click_for_another_shop_earns_nothing_on_this_shops_order()
    {
        var earning = OrderEarningRules.Decide(Click, orderShopId: 401, buyerUserId: 10, WebmasterUser);

        earning.Should().Be(new OrderEarning(NoCommissionReason.OtherShop, null, new Phrase(PhraseBook.OtherShop, "400")));
        earning.Note.Should().Be("The click was for shop 400, not this shop: items of other shops earn nothing.");
    }

    [Fact]
    public void A_paid_ad_click_earns_no_sale_commission()
    {
        var adClick = Click with { CampaignId = 7 };

        var earning = OrderEarningRules.Decide(adClick, Shop, buyerUserId: 10, WebmasterUser);

        earning.Should().Be(new OrderEarning(NoCommissionReason.PaidAdClick, null, CommissionCalculator.PaidAdClickPhrase(adClick)));
    }
}
