using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Notifications;
using TaobaoAlliance.Web.Tests.Areas.Seller.Shops;
using TaobaoAlliance.Web.Tests.Clicks;
using TaobaoAlliance.Web.Tests.Cpc;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;

namespace TaobaoAlliance.Web.Tests.Areas.Admin;

/// <summary>
/// The admin delists a shop's item with a reason (issue 14): it leaves the storefront, search, library, links and ads at
/// once, the seller is told and cannot relist it, an admin relists it; bad input and non-admins change nothing.
/// </summary>
public sealed class ItemDelistingTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    /// <summary>Sent to sign-in or access denied, or refused outright: what the app answers a user without the right.</summary>
    private static bool Refused(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString is { } location
            && (location.Contains("/Account/SignIn", StringComparison.Ordinal) || location.Contains("/Account/AccessDenied", StringComparison.Ordinal)));

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Reason(string reason, string note = "") => new() { ["Input.Reason"] = reason, ["Input.Note"] = note };

    private static Task<HttpResponseMessage> DelistAsync(BrowserSession admin, long itemId, string reason, string note = "") =>
        admin.PostAsync($"/Admin/Items/{itemId}?handler=Delist", Reason(reason, note), $"/Admin/Items/{itemId}");

    private async Task<Item> ItemAsync(long itemId)
    {
        await using var db = app.NewDb();
        return await db.Items.AsNoTracking().SingleAsync(i => i.Id == itemId);
    }

    private async Task<List<Notification>> NoticesAsync(long sellerId)
    {
        await using var db = app.NewDb();
        var userId = await db.Sellers.Where(s => s.Id == sellerId).Select(s => s.UserId).SingleAsync();
        return await db.Notifications.AsNoTracking().Where(n => n.UserId == userId).OrderBy(n => n.Id).ToListAsync();
    }

    /// <summary>A new item in a new shop of demo seller 1 (so seller1 can sign in and see it), on sale.</summary>
    private async Task<(long ShopId, long ItemId, string Title)> NewItemAsync()
    {
        var shopId = await app.NewShopAsync(1);
        await using var db = app.NewDb();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var item = new Item
        {
            ShopId = shopId, CategoryId = 3, TitleZh = "耳机 " + tag, TitleEn = "Earbuds " + tag, PriceFen = 9_900, ImageUrl = "/img/items/digital-phones.svg",
            CreatedAt = app.Clock.GetUtcNow(), UpdatedAt = app.Clock.GetUtcNow(),
        };
        db.Items.Add(item);
        await db.SaveChangesAsync();
        return (shopId, item.Id, item.TitleEn);
    }

    [Fact]
    public async Task A_delisted_item_leaves_the_store_the_search_the_library_links_and_ads_at_once_and_its_seller_is_told()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(100));
        await world.NewCampaignAsync(seller, bidFen: 40, dailyBudgetFen: 5_000);
        var zone = await world.NewSmartZoneAsync();
        var (itemId, otherId) = (seller.ItemIds[0], seller.ItemIds[1]);
        var title = (await ItemAsync(itemId)).TitleEn;
        var link = await app.NewLinkAsync(itemId);
        using var shopper = app.Shopper();
        var search = "/?q=" + Uri.EscapeDataString(title);
        using var webmaster = await app.DemoWebmasterAsync(1);
        var library = "/Webmaster/Library?q=" + Uri.EscapeDataString(title);

        // Before: everything leads to the item (and the anonymous pages are now in the output cache).
        (await shopper.GetAsync($"/c/{link.Code}")).Headers.Location!.OriginalString.Should().StartWith($"/item/{itemId}?alliance_click=");
        (await shopper.GetAsync($"/item/{itemId}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await (await shopper.GetAsync(search)).Content.ReadAsStringAsync()).Should().Contain($"href=\"/item/{itemId}\"");
        (await webmaster.Browser.PageAsync(library)).Should().Contain($"data-item-id=\"{itemId}\"");
        var servedBefore = await world.ServeAsync(zone.ZoneId);
        servedBefore.Should().NotBeNull("the campaign's items are on sale");

        using var admin = await AdminAsync(app);
        using var first = await DelistAsync(admin, itemId, "Counterfeit", "Fake brand logo");
        using var second = await DelistAsync(admin, otherId, "Prohibited");

        first.StatusCode.Should().Be(HttpStatusCode.Redirect, PageText.Messages(await first.Content.ReadAsStringAsync()));
        second.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var item = await ItemAsync(itemId);
        (item.DelistedAt, item.DelistReason, item.DelistNote, item.IsListed, item.IsOnSale)
            .Should().Be((app.Clock.GetUtcNow(), "Counterfeit", "Fake brand logo", true, false), "the seller's own choice is kept apart");

        // After, with no waiting: this node dropped its click targets, ad book and storefront cache on its own save.
        using var click = await shopper.GetAsync($"/c/{link.Code}");
        click.StatusCode.Should().Be(HttpStatusCode.NotFound, "the link no longer lands on the item, like an unlisted item's");
        (await shopper.GetAsync($"/item/{itemId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await (await shopper.GetAsync(search)).Content.ReadAsStringAsync()).Should().NotContain($"href=\"/item/{itemId}\"");
        (await webmaster.Browser.PageAsync(library)).Should().NotContain($"data-item-id=\"{itemId}\"");
        (await world.ServeAsync(zone.ZoneId)).Should().BeNull("both of the campaign's items are delisted: no ad to show");
        using var lateAdClick = await world.ClickAsync(servedBefore!);
        lateAdClick.Headers.Location?.OriginalString.Should().NotStartWith("/item/", "an ad served before the delisting no longer lands on it");
        (await world.ChargesAsync(await CampaignOfAsync(seller.ShopId))).Should().BeEmpty("and it costs the seller nothing");
        using var newLink = await webmaster.Browser.PostAsync("/Webmaster/Library/Link?handler=Json",
            new Dictionary<string, string> { ["item"] = Id(itemId), ["zone"] = Id(webmaster.Webmaster.ZoneId) }, "/Webmaster/Library");
        newLink.StatusCode.Should().Be(HttpStatusCode.NotFound, "no new link is made for it");

        var notice = (await NoticesAsync(seller.SellerId)).Where(n => n.Kind == NotificationKind.ItemDelisted).Should().HaveCount(2).And.Subject.First();
        notice.Arguments.Should().Contain("\"reason\": \"Counterfeit\"").And.Contain("Fake brand logo");
        (await AuditAsync(app, "item", itemId)).Select(a => a.Action).Should().Equal("item.delist");
        var list = PageText.Text(await admin.PageAsync("/Admin/Items?show=Delisted&q=" + Uri.EscapeDataString(title)));
        list.Should().Contain("Delisted by the platform").And.Contain("Counterfeit goods — Fake brand logo");
    }

    private async Task<long> CampaignOfAsync(long shopId)
    {
        await using var db = app.NewDb();
        return await db.Campaigns.Where(c => c.ShopId == shopId).Select(c => c.Id).SingleAsync();
    }

    [Fact]
    public async Task The_seller_reads_the_reason_cannot_relist_the_item_and_an_admin_relists_it()
    {
        var (shopId, itemId, title) = await NewItemAsync();
        using var admin = await AdminAsync(app);
        using (var delisted = await DelistAsync(admin, itemId, "Other", "Photos taken from another shop"))
        {
            delisted.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }
        using var seller = await app.DemoSellerAsync(1);

        var list = PageText.Text(await seller.PageAsync($"/Seller/Shops/{shopId}/Items"));
        list.Should().Contain("Delisted by the platform: Other reason — Photos taken from another shop");
        PageText.Text(await seller.PageAsync($"/Seller/Shops/{shopId}/Items/Edit/{itemId}")).Should().Contain("Delisted by the platform: Other reason");
        using var relist = await seller.PostAsync($"/Seller/Shops/{shopId}/Items?handler=Relist", new Dictionary<string, string> { ["itemId"] = Id(itemId) },
            $"/Seller/Shops/{shopId}/Items");
        relist.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.Messages(await relist.Content.ReadAsStringAsync()).Should().Contain("was delisted by the platform: only an admin can relist it");
        (await ItemAsync(itemId)).IsOnSale.Should().BeFalse("the seller's relist changed nothing");
        var bell = PageText.Text(await seller.PageAsync("/Notifications"));
        bell.Should().Contain($"Your item “{title}” was delisted by the platform: another reason (Photos taken from another shop)");

        using var relisted = await admin.PostAsync($"/Admin/Items/{itemId}?handler=Relist", [], $"/Admin/Items/{itemId}");

        relisted.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var item = await ItemAsync(itemId);
        (item.DelistedAt, item.DelistReason, item.DelistNote, item.IsOnSale).Should().Be(((DateTimeOffset?)null, (string?)null, (string?)null, true));
        (await app.Shopper().GetAsync($"/item/{itemId}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await AuditAsync(app, "item", itemId)).Select(a => a.Action).Should().Equal("item.delist", "item.relist");
        PageText.Text(await seller.PageAsync("/Notifications")).Should().Contain($"The platform relisted your item “{title}”: it is on sale again.");
        PageText.Text(await seller.PageAsync($"/Seller/Shops/{shopId}/Items")).Should().NotContain("Delisted by the platform");
    }

    [Theory]
    [InlineData("", "", "Choose the reason for delisting.")]
    [InlineData("Other", "  ", "Say what the other reason is: the seller reads it.")]
    [InlineData("Bogus", "", "is not valid")]
    public async Task A_delisting_without_a_proper_reason_is_refused_and_changes_nothing(string reason, string note, string message)
    {
        var (_, itemId, _) = await NewItemAsync();
        using var admin = await AdminAsync(app);

        using var response = await DelistAsync(admin, itemId, reason, note);

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the form comes back with its message");
        PageText.Messages(await response.Content.ReadAsStringAsync()).Should().Contain(message);
        (await ItemAsync(itemId)).Should().BeEquivalentTo(new { DelistedAt = (DateTimeOffset?)null, DelistReason = (string?)null, IsOnSale = true });
        (await AuditAsync(app, "item", itemId)).Should().BeEmpty();
        await using var db = app.NewDb();
        (await db.Notifications.Where(n => n.Kind == NotificationKind.ItemDelisted).Select(n => n.Arguments).ToListAsync())
            .Should().NotContain(a => a.Contains($"\"itemId\": {itemId},"), "no notice for a refused delisting");
    }

    [Fact]
    public async Task A_note_that_is_too_long_is_refused_and_an_unknown_item_is_not_found()
    {
        var (_, itemId, _) = await NewItemAsync();
        using var admin = await AdminAsync(app);

        using var tooLong = await DelistAsync(admin, itemId, "Misleading", new string('x', 501));
        using var unknown = await admin.PostAsync("/Admin/Items/987654321?handler=Delist", Reason("Counterfeit"), $"/Admin/Items/{itemId}");

        tooLong.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.Messages(await tooLong.Content.ReadAsStringAsync()).Should().Contain("at most 500 characters");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await ItemAsync(itemId)).IsOnSale.Should().BeTrue();
    }

    [Fact]
    public async Task Only_admins_reach_the_items_pages_and_a_sellers_post_delists_nothing()
    {
        var (shopId, itemId, _) = await NewItemAsync();
        using var seller = await app.DemoSellerAsync(1);
        using var anonymous = app.Shopper();

        using var page = await seller.GetAsync($"/Admin/Items/{itemId}");
        using var post = await seller.PostAsync($"/Admin/Items/{itemId}?handler=Delist", Reason("Counterfeit", "x"), $"/Seller/Shops/{shopId}/Items");
        using var anonymousPage = await anonymous.GetAsync("/Admin/Items");

        Refused(page).Should().BeTrue();
        Refused(post).Should().BeTrue();
        anonymousPage.Headers.Location!.OriginalString.Should().Contain("/Account/SignIn");
        (await ItemAsync(itemId)).IsOnSale.Should().BeTrue();
        (await AuditAsync(app, "item", itemId)).Should().BeEmpty();
    }

    [Fact]
    public async Task The_admin_finds_items_by_id_title_or_shop_and_the_list_pages()
    {
        var (shopId, itemId, title) = await NewItemAsync();
        string shopName;
        await using (var db = app.NewDb()) shopName = await db.Shops.Where(s => s.Id == shopId).Select(s => s.NameEn).SingleAsync();
        using var admin = await AdminAsync(app);

        var byId = await admin.PageAsync($"/Admin/Items?q={itemId}");
        var byTitle = await admin.PageAsync("/Admin/Items?q=" + Uri.EscapeDataString(title[^8..]));
        var byShop = await admin.PageAsync("/Admin/Items?q=" + Uri.EscapeDataString(shopName));
        var all = await admin.PageAsync("/Admin/Items");
        var second = await admin.PageAsync("/Admin/Items?p=2");

        byId.Should().Contain($"data-item-id=\"{itemId}\"");
        byTitle.Should().Contain($"data-item-id=\"{itemId}\"");
        byShop.Should().Contain($"data-item-id=\"{itemId}\"");
        System.Text.RegularExpressions.Regex.Count(all, "class=\"admin-item-row\"").Should().Be(25, "a page holds 25 items");
        second.Should().Contain("class=\"admin-item-row\"").And.Contain("aria-current=\"page\">2<");
        PageText.Text(await admin.PageAsync("/Admin/Items?show=Delisted&q=" + itemId)).Should().Contain("No items match.");
        all.Should().Contain("href=\"/Admin/Items\"").And.Contain("href=\"/Admin/Categories\"");
    }

    [Fact]
    public async Task The_admin_item_pages_read_in_Chinese()
    {
        var (_, itemId, _) = await NewItemAsync();
        using var admin = new BrowserSession(app, "zh-CN");
        await admin.SignInAsync(AdminEmail, AdminPassword);

        var list = PageText.Text(await admin.PageAsync("/Admin/Items"));
        var detail = PageText.Text(await admin.PageAsync($"/Admin/Items/{itemId}"));

        list.Should().Contain("商品管理").And.Contain("商品编号、标题或店铺");
        detail.Should().Contain("下架商品").And.Contain("假冒商品").And.Contain("给卖家的说明").And.Contain("耳机");
    }
}
