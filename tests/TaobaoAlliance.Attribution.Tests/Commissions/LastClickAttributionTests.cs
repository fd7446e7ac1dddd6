using TaobaoAlliance.Attribution.Commissions;

namespace TaobaoAlliance.Attribution.Tests.Commissions;

/// <summary>The store's click id against the visitor's clicks, without a database.</summary>
public sealed class LastClickAttributionTests
{
    private static readonly DateTimeOffset PaidAt = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromDays(15);

    private static ClickFacts Click(long shopId, double hoursBefore) =>
        new(Guid.NewGuid(), PaidAt.AddHours(-hoursBefore), true, null, WebmasterId: 1, SiteId: 1, ItemId: 10, ShopId: shopId, ItemRateBp: 500, ShopRateBp: 300);

    [Fact]
    public void The_stores_click_on_the_ordering_shop_beats_the_visitor_cookie()
    {
        var explicitClick = Click(shopId: 1, hoursBefore: 5);

        var decision = LastClickAttribution.Decide(explicitClick, [Click(shopId: 1, hoursBefore: 1)], PaidAt, Window, orderShopId: 1);

        decision.Winner.Should().Be(explicitClick);
    }

    [Fact]
    public void The_stores_click_on_another_shop_is_a_hint_only_and_the_visitor_cookie_decides()
    {
        var foreign = Click(shopId: 2, hoursBefore: 1);
        var cookie = Click(shopId: 1, hoursBefore: 3);

        var decision = LastClickAttribution.Decide(foreign, [cookie], PaidAt, Window, orderShopId: 1);

        decision.Winner.Should().Be(cookie);
        decision.Note.Should().Contain($"{foreign.Id} is for shop 2, not this shop: kept as a hint only");
    }

    [Fact]
    public void The_stores_click_on_another_shop_without_visitor_clicks_leaves_the_order_unattributed()
    {
        var decision = LastClickAttribution.Decide(Click(shopId: 2, hoursBefore: 1), [], PaidAt, Window, orderShopId: 1);

        decision.Winner.Should().BeNull();
    }
}
