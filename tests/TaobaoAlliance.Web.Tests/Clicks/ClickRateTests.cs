using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Web.Tests.Clicks;

/// <summary>A click keeps the rates in force when it happened; targeted plans raise them for approved members only.</summary>
public sealed class ClickRateTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task A_click_keeps_the_rates_in_force_when_it_happened_after_the_seller_changes_them()
    {
        var (itemId, shopId) = await ListedItemOfShopAsync(1);
        await SetRatesAsync(itemId, shopId, itemRateBp: 700, shopRateBp: 300);
        var link = await app.NewLinkAsync(itemId);
        var client = app.Shopper();

        var before = (await client.GetAsync($"/c/{link.Code}")).ClickId();
        await SetRatesAsync(itemId, shopId, itemRateBp: 200, shopRateBp: 100);
        var after = (await client.GetAsync($"/c/{link.Code}")).ClickId();

        (await app.ClickAsync(before)).Should().BeEquivalentTo(new { ItemRateBp = 700, ShopRateBp = 300 });
        (await app.ClickAsync(after)).Should().BeEquivalentTo(new { ItemRateBp = 200, ShopRateBp = 100 });
    }

    [Fact]
    public async Task An_item_without_its_own_rate_is_clicked_at_the_shop_rate()
    {
        var (itemId, shopId) = await ListedItemOfShopAsync(2);
        await SetRatesAsync(itemId, shopId, itemRateBp: null, shopRateBp: 450);
        var link = await app.NewLinkAsync(itemId);

        var click = await app.ClickAsync((await app.Shopper().GetAsync($"/c/{link.Code}")).ClickId());

        click.Should().BeEquivalentTo(new { ItemRateBp = 450, ShopRateBp = 450 });
    }

    [Fact]
    public async Task An_approved_member_of_a_targeted_plan_is_clicked_at_the_best_plan_rate()
    {
        var (itemId, shopId) = await ListedItemOfShopAsync(3);
        await SetRatesAsync(itemId, shopId, itemRateBp: 500, shopRateBp: 300);
        var link = await app.NewLinkAsync(itemId);
        var now = app.Clock.GetUtcNow();
        await AddPlanAsync(shopId, null, 1200, now.AddDays(-1), null, link.WebmasterId);          // the whole shop
        await AddPlanAsync(shopId, itemId, 1800, now.AddDays(-1), now.AddDays(1), link.WebmasterId); // this item, higher

        var click = await app.ClickAsync((await app.Shopper().GetAsync($"/c/{link.Code}")).ClickId());
        var longLink = await app.ClickAsync((await app.Shopper().GetAsync($"/c?pid={link.Pid}&item={itemId}")).ClickId());

        click.Should().BeEquivalentTo(new { ItemRateBp = 1800, ShopRateBp = 300 });
        longLink.ItemRateBp.Should().Be(1800);
    }

    [Fact]
    public async Task A_targeted_plan_pays_nothing_extra_to_applicants_on_other_items_outside_its_period_or_when_inactive()
    {
        var (itemId, shopId) = await ListedItemOfShopAsync(4);
        var otherItemId = await ListedItemOfShopAsync(4, skip: 1);
        await SetRatesAsync(itemId, shopId, itemRateBp: 500, shopRateBp: 300);
        var link = await app.NewLinkAsync(itemId);
        var now = app.Clock.GetUtcNow();
        await AddPlanAsync(shopId, null, 4000, now.AddDays(-1), null, link.WebmasterId, PlanMembershipState.Applied);
        await AddPlanAsync(shopId, null, 4100, now.AddDays(-1), null, link.WebmasterId, PlanMembershipState.Rejected);
        await AddPlanAsync(shopId, otherItemId.ItemId, 4200, now.AddDays(-1), null, link.WebmasterId);
        await AddPlanAsync(shopId, null, 4300, now.AddDays(-10), now.AddSeconds(-1), link.WebmasterId);
        await AddPlanAsync(shopId, null, 4400, now.AddSeconds(1), null, link.WebmasterId);
        await AddPlanAsync(shopId, null, 4500, now.AddDays(-1), null, link.WebmasterId, active: false);
        var stranger = await app.NewLinkAsync(itemId, webmaster: "webmaster2");
        await AddPlanAsync(shopId, null, 4600, now.AddDays(-1), null, stranger.WebmasterId);

        var click = await app.ClickAsync((await app.Shopper().GetAsync($"/c/{link.Code}")).ClickId());

        click.Should().BeEquivalentTo(new { ItemRateBp = 500, ShopRateBp = 300 });
    }

    private async Task<(long ItemId, long ShopId)> ListedItemOfShopAsync(long shopId, int skip = 0)
    {
        await using var db = app.NewDb();
        var itemId = await db.Items.Where(i => i.ShopId == shopId && i.IsListed).OrderBy(i => i.Id).Skip(skip).Select(i => i.Id).FirstAsync();
        return (itemId, shopId);
    }

    private async Task SetRatesAsync(long itemId, long shopId, int? itemRateBp, int shopRateBp)
    {
        await using var db = app.NewDb();
        await db.Items.Where(i => i.Id == itemId).ExecuteUpdateAsync(s => s.SetProperty(i => i.CommissionRateBp, itemRateBp));
        await db.Shops.Where(s => s.Id == shopId).ExecuteUpdateAsync(s => s.SetProperty(x => x.GeneralRateBp, shopRateBp));
        await app.ClickTargetsCaughtUpAsync(); // changed behind the app's back: in force once the app has heard of it
    }

    private async Task AddPlanAsync(long shopId, long? itemId, int rateBp, DateTimeOffset startsAt, DateTimeOffset? endsAt, long webmasterId,
        PlanMembershipState state = PlanMembershipState.Approved, bool active = true)
    {
        await using var db = app.NewDb();
        var plan = new TargetedPlan { ShopId = shopId, ItemId = itemId, Name = "Plan " + rateBp, RateBp = rateBp, StartsAt = startsAt, EndsAt = endsAt, IsActive = active };
        plan.Members.Add(new TargetedPlanMember { WebmasterId = webmasterId, State = state, AppliedAt = startsAt });
        db.TargetedPlans.Add(plan);
        await db.SaveChangesAsync();
        await app.ClickTargetsCaughtUpAsync();
    }
}
