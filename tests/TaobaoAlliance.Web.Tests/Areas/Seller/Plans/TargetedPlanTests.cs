using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Web.Tests.Clicks;
using TaobaoAlliance.Web.Tests.Areas.Webmaster;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Library;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Sites;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Web.Tests.Areas.Seller.Shops;

namespace TaobaoAlliance.Web.Tests.Areas.Seller.Plans;

/// <summary>Targeted plans end to end: the seller offers, the webmaster applies from the library, the seller approves, clicks pay the plan rate.</summary>
public sealed class TargetedPlanTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A listed item of a new shop of seller1, with its own rate, so no other test's plans touch it.</summary>
    private async Task<(long ShopId, long ItemId, string Title)> NewItemAsync(int? itemRateBp, int shopRateBp = 500)
    {
        var shopId = await app.NewShopAsync(1, shopRateBp);
        await using var db = app.NewDb();
        var title = "定向计划商品 " + Guid.NewGuid().ToString("N")[..8];
        var item = new Item
        {
            ShopId = shopId, CategoryId = 3, TitleZh = title, TitleEn = "Plan item " + title[^8..], PriceFen = 10000, CommissionRateBp = itemRateBp,
            ImageUrl = "/img/items/digital-phones.svg", IsListed = true, CreatedAt = app.Clock.GetUtcNow(), UpdatedAt = app.Clock.GetUtcNow(),
        };
        db.Items.Add(item);
        await db.SaveChangesAsync();
        return (shopId, item.Id, title);
    }

    private static Task<HttpResponseMessage> CreatePlanAsync(BrowserSession seller, long shopId, long? itemId, string rate, string name = "Partners") =>
        seller.SubmitAsync($"/Seller/Plans/Create?shop={shopId}", $"/Seller/Plans/Create?shop={shopId}", new Dictionary<string, string>
        {
            ["Input.Name"] = name, ["Input.ItemId"] = itemId is { } id ? Id(id) : "", ["Input.RatePercent"] = rate,
        });

    [Fact]
    public async Task An_approved_applicant_from_the_library_is_paid_the_plan_rate_on_the_next_click()
    {
        var (shopId, itemId, title) = await NewItemAsync(itemRateBp: 600);
        using var seller = await app.DemoSellerAsync(1);

        using var created = await CreatePlanAsync(seller, shopId, itemId, "15.5", "双十一伙伴 Double 11 partners");
        created.StatusCode.Should().Be(HttpStatusCode.Redirect, PageText.Messages(await created.Content.ReadAsStringAsync()));
        long planId;
        await using (var db = app.NewDb())
        {
            var plan = await db.TargetedPlans.AsNoTracking().SingleAsync(p => p.ShopId == shopId);
            plan.Should().BeEquivalentTo(new { ItemId = (long?)itemId, RateBp = 1550, IsActive = true, EndsAt = (DateTimeOffset?)null });
            plan.StartsAt.Should().BeOnOrBefore(app.Clock.GetUtcNow());
            planId = plan.Id;
        }

        using var webmaster = await app.DemoWebmasterAsync(1);
        var library = "/Webmaster/Library?q=" + Uri.EscapeDataString(title);
        var html = await webmaster.Browser.PageAsync(library);
        WebmasterTesting.ItemIds(html).Should().Equal(itemId);
        html.Should().Contain($"data-plan-id=\"{planId}\"").And.Contain("15.5 %");
        var apply = library + "&handler=Apply";
        using (var applied = await webmaster.Browser.SubmitAsync(library, f => f.Fields.GetValueOrDefault("planId") == Id(planId)))
        {
            applied.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }
        // Applying again (a double click, a stale page) changes nothing.
        using (var again = await webmaster.Browser.PostAsync(apply, [new("planId", Id(planId))], library))
        {
            again.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }
        await using (var db = app.NewDb())
        {
            (await db.TargetedPlanMembers.AsNoTracking().Where(m => m.PlanId == planId).ToListAsync())
                .Should().ContainSingle().Which.Should().BeEquivalentTo(new { webmaster.WebmasterId, State = PlanMembershipState.Applied, DecidedAt = (DateTimeOffset?)null });
        }
        (await webmaster.Browser.PageAsync(library)).Should().Contain("library-plan-state").And.NotContain("library-apply");

        var plans = await seller.PageAsync("/Seller/Plans");
        plans.Should().Contain("webmaster1@taobaoalliance.local");
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        using (var approved = await seller.SubmitAsync("/Seller/Plans", "/Seller/Plans?handler=Approve",
            pick: f => f.Fields.GetValueOrDefault("planId") == Id(planId) && f.Fields.GetValueOrDefault("webmasterId") == Id(webmaster.WebmasterId)))
        {
            approved.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }
        await using (var db = app.NewDb())
        {
            (await db.TargetedPlanMembers.AsNoTracking().SingleAsync(m => m.PlanId == planId))
                .Should().BeEquivalentTo(new { State = PlanMembershipState.Approved, DecidedAt = (DateTimeOffset?)app.Clock.GetUtcNow() });
        }

        // Applying once more after the decision does not reopen it.
        using (var late = await webmaster.Browser.PostAsync(apply, [new("planId", Id(planId))], library)) late.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await using (var db = app.NewDb()) (await db.TargetedPlanMembers.SingleAsync(m => m.PlanId == planId)).State.Should().Be(PlanMembershipState.Approved);
        (await webmaster.Browser.PageAsync(library)).Should().Contain("Approved");

        var link = await app.NewLinkAsync(itemId, webmaster: "webmaster1");
        var click = await app.ClickAsync((await app.Shopper().GetAsync($"/c/{link.Code}")).ClickId());
        click.Should().BeEquivalentTo(new { ItemRateBp = 1550, ShopRateBp = 500 });
    }

    [Fact]
    public async Task The_seller_sees_each_applicant_with_their_approved_sites_and_can_reject_or_end_the_plan()
    {
        var (shopId, itemId, title) = await NewItemAsync(itemRateBp: null, shopRateBp: 400);
        using var seller = await app.DemoSellerAsync(1);
        using (var created = await CreatePlanAsync(seller, shopId, null, "9")) created.StatusCode.Should().Be(HttpStatusCode.Redirect);
        long planId;
        await using (var db = app.NewDb()) planId = await db.TargetedPlans.Where(p => p.ShopId == shopId).Select(p => p.Id).SingleAsync();
        using var webmaster = await app.NewWebmasterAsync();
        await app.AddSiteAsync(webmaster.WebmasterId, Attribution.Sites.SiteState.Approved, "Zone");
        await app.AddSiteAsync(webmaster.WebmasterId, Attribution.Sites.SiteState.Approved, "Zone");
        await app.AddSiteAsync(webmaster.WebmasterId, Attribution.Sites.SiteState.Pending, "Zone");
        var library = "/Webmaster/Library?q=" + Uri.EscapeDataString(title);
        (await webmaster.Browser.PageAsync(library)).Should().Contain("9 %", "a whole-shop plan is offered on every item of the shop");
        using (var applied = await webmaster.Browser.PostAsync(library + "&handler=Apply", [new("planId", Id(planId))], library))
        {
            applied.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        var plans = await seller.PageAsync("/Seller/Plans");
        var row = plans[plans.IndexOf($"data-webmaster-id=\"{webmaster.WebmasterId}\"", StringComparison.Ordinal)..];
        row[..row.IndexOf("</tr>", StringComparison.Ordinal)].Should().Contain(webmaster.Browser.Email!).And.Contain("<td class=\"text-end application-sites\">2</td>");

        // Another seller can neither decide nor end it.
        using var seller2 = await app.DemoSellerAsync(2);
        foreach (var (handler, fields) in new (string, KeyValuePair<string, string>[])[]
        {
            ("Approve", [new("planId", Id(planId)), new("webmasterId", Id(webmaster.WebmasterId))]),
            ("End", [new("planId", Id(planId))]),
        })
        {
            using var response = await seller2.PostAsync("/Seller/Plans?handler=" + handler, fields, "/Seller/Plans");
            response.StatusCode.Should().Be(HttpStatusCode.NotFound, handler);
        }

        using (var rejected = await seller.PostAsync("/Seller/Plans?handler=Reject", [new("planId", Id(planId)), new("webmasterId", Id(webmaster.WebmasterId))], "/Seller/Plans"))
        {
            rejected.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }
        (await webmaster.Browser.PageAsync(library)).Should().Contain("Rejected");
        using (var ended = await seller.PostAsync("/Seller/Plans?handler=End", [new("planId", Id(planId))], "/Seller/Plans"))
        {
            ended.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        await using var db2 = app.NewDb();
        (await db2.TargetedPlans.SingleAsync(p => p.Id == planId)).IsActive.Should().BeFalse();
        (await db2.TargetedPlanMembers.SingleAsync(m => m.PlanId == planId)).State.Should().Be(PlanMembershipState.Rejected);
        (await webmaster.Browser.PageAsync(library)).Should().NotContain($"data-plan-id=\"{planId}\"", "an ended plan is no longer offered");
        using var late = await webmaster.Browser.PostAsync(library + "&handler=Apply", [new("planId", Id(planId))], library);
        late.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(800, 500, true, "8", "must pay more than the rate it replaces (8 %)")]
    [InlineData(800, 500, true, "7.99", "must pay more than the rate it replaces (8 %)")]
    [InlineData(null, 500, true, "5", "must pay more than the rate it replaces (5 %)")]
    [InlineData(800, 500, false, "4", "must pay more than the rate it replaces (5 %)")]
    [InlineData(800, 500, true, "91", "must be between 0 and 90")]
    public async Task A_plan_rate_not_above_the_rate_it_replaces_is_a_form_error_and_writes_nothing(int? itemRateBp, int shopRateBp, bool onItem, string rate, string message)
    {
        var (shopId, itemId, _) = await NewItemAsync(itemRateBp, shopRateBp);
        using var seller = await app.DemoSellerAsync(1);

        using var response = await CreatePlanAsync(seller, shopId, onItem ? itemId : null, rate);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.Messages(await response.Content.ReadAsStringAsync()).Should().Contain(message);
        await using var db = app.NewDb();
        (await db.TargetedPlans.CountAsync(p => p.ShopId == shopId)).Should().Be(0);
    }
}
