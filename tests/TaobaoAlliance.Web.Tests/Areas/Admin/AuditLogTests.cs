using System.Net;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Web.Tests.Areas.Seller.Shops;

namespace TaobaoAlliance.Web.Tests.Areas.Admin;

/// <summary>Money and approval actions a seller takes reach the audit log, and the log reads as sentences in both languages.</summary>
public sealed class AuditLogTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task A_per_item_rate_change_is_audited_with_the_seller_and_both_rates_and_reads_in_English_and_Chinese()
    {
        var shopId = await app.NewShopAsync(1, generalRateBp: 400);
        using var seller = await app.DemoSellerAsync(1);
        var title = "审计测试耳机 " + Guid.NewGuid().ToString("N")[..6];
        using (var created = await seller.SubmitAsync($"/Seller/Shops/{shopId}/Items/Edit", $"/Seller/Shops/{shopId}/Items/Edit", Item(title, "")))
        {
            created.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }
        long itemId, sellerUserId;
        await using (var db = app.NewDb())
        {
            itemId = await db.Items.Where(i => i.ShopId == shopId).Select(i => i.Id).SingleAsync();
            sellerUserId = await db.Users.Where(u => u.Email == "seller1@taobaoalliance.local").Select(u => u.Id).SingleAsync();
            (await db.AuditLog.CountAsync(a => a.EntityType == "item" && a.EntityId == itemId.ToString())).Should().Be(0, "the item pays the shop rate: no rate changed");
        }

        var edit = $"/Seller/Shops/{shopId}/Items/Edit/{itemId}";
        using (var edited = await seller.SubmitAsync(edit, edit, Item(title, "12.5")))
        {
            edited.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        await using (var db = app.NewDb())
        {
            var entry = await db.AuditLog.AsNoTracking().SingleAsync(a => a.Action == "item.rate" && a.EntityId == itemId.ToString());
            entry.ActorUserId.Should().Be(sellerUserId);
            entry.Details.Should().Contain("\"newRateBp\": 1250").And.Contain("\"oldRateBp\": null");
        }
        using var admin = await AdminTesting.AdminAsync(app);
        var english = await admin.PageAsync($"/Admin/Audit?entity=item&id={itemId}");
        english.Should().Contain("Item commission rate changed").And.Contain("New rate").And.Contain("12.5 %")
            .And.Contain("the shop&#x27;s general rate").And.NotContain("newRateBp").And.NotContain("{&quot;");

        using (var chinese = await admin.PostAsync("/culture", [new("culture", "zh-Hans"), new("returnUrl", "/Admin/Audit")]))
        {
            chinese.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }
        var zh = await admin.PageAsync($"/Admin/Audit?entity=item&id={itemId}");
        zh.Should().Contain("商品佣金比例已修改").And.Contain("新比例").And.Contain("店铺通用佣金比例").And.NotContain("Item commission rate changed");
    }

    [Fact]
    public async Task Creating_a_shop_and_a_targeted_plan_and_deciding_an_application_are_audited()
    {
        using var seller = await app.DemoSellerAsync(2);
        var slug = "audit-" + Guid.NewGuid().ToString("N")[..8];
        using (var created = await seller.SubmitAsync("/Seller/Shops/Create", "/Seller/Shops/Create", new Dictionary<string, string>
        {
            ["Input.Slug"] = slug, ["Input.NameZh"] = "审计店", ["Input.NameEn"] = "Audit shop", ["Input.Description"] = "", ["Input.RatePercent"] = "5",
        }))
        {
            created.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }
        await using var db = app.NewDb();
        var shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Slug == slug);
        var shopEntry = await db.AuditLog.AsNoTracking().SingleAsync(a => a.Action == "shop.create" && a.EntityId == shop.Id.ToString());
        shopEntry.ActorUserId.Should().NotBeNull();
        shopEntry.Details.Should().Contain(slug).And.Contain("\"rateBp\": 500");


        using (var plan = await seller.SubmitAsync($"/Seller/Plans/Create?shop={shop.Id}", $"/Seller/Plans/Create?shop={shop.Id}", new Dictionary<string, string>
        {
            ["Input.Name"] = "审计伙伴", ["Input.ItemId"] = "", ["Input.RatePercent"] = "8",
        }))
        {
            plan.StatusCode.Should().Be(HttpStatusCode.Redirect, PageText.Messages(await plan.Content.ReadAsStringAsync()));
        }
        var planId = await db.TargetedPlans.Where(p => p.ShopId == shop.Id).Select(p => p.Id).SingleAsync();
        var planEntry = await db.AuditLog.AsNoTracking().SingleAsync(a => a.Action == "plan.create" && a.EntityId == planId.ToString());
        planEntry.ActorUserId.Should().Be(shopEntry.ActorUserId);
        planEntry.Details.Should().Contain("\"rateBp\": 800").And.Contain("\"replacedRateBp\": 500");

        // A webmaster's application (as the library's Apply button writes it), then the seller's decision.
        var webmasterId = await db.Webmasters.Where(w => w.User.Email == "webmaster1@taobaoalliance.local").Select(w => w.Id).SingleAsync();
        db.TargetedPlanMembers.Add(new() { PlanId = planId, WebmasterId = webmasterId, State = TaobaoAlliance.Data.Catalog.PlanMembershipState.Applied, AppliedAt = app.Clock.GetUtcNow() });
        await db.SaveChangesAsync();
        using (var approved = await seller.PostAsync("/Seller/Plans?handler=Approve", [new("planId", planId.ToString()), new("webmasterId", webmasterId.ToString())], "/Seller/Plans"))
        {
            approved.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }
        var decision = await db.AuditLog.AsNoTracking().SingleAsync(a => a.Action == "plan.approve" && a.EntityId == planId.ToString());
        decision.Details.Should().Contain($"\"webmasterId\": {webmasterId}");

        using var admin = await AdminTesting.AdminAsync(app);
        var log = await admin.PageAsync("/Admin/Audit?entity=targeted_plan&id=" + planId);
        log.Should().Contain("Targeted plan created").And.Contain("Targeted plan application approved").And.Contain("Rate it replaces").And.Contain("8 %");
    }

    private static Dictionary<string, string> Item(string titleZh, string rate) => new()
    {
        ["Input.TitleZh"] = titleZh, ["Input.TitleEn"] = "Audit " + titleZh, ["Input.CategoryId"] = "3",
        ["Input.PriceYuan"] = "99", ["Input.RatePercent"] = rate, ["Input.ImageUrl"] = "",
    };
}
