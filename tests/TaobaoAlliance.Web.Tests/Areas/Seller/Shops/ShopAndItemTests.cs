using System.Net;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Web.Tests.Areas.Seller.Plans;

namespace TaobaoAlliance.Web.Tests.Areas.Seller.Shops;

/// <summary>The seller's shops and items: create, edit, rate history, delist/relist, and nothing of another seller's.</summary>
public sealed class ShopAndItemTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private static Dictionary<string, string> ShopForm(string slug, string rate, string nameZh = "新店", string nameEn = "New shop") => new()
    {
        ["Input.Slug"] = slug, ["Input.NameZh"] = nameZh, ["Input.NameEn"] = nameEn,
        ["Input.Description"] = "耳机和手机配件 Earbuds and phone accessories", ["Input.RatePercent"] = rate,
    };

    private static Dictionary<string, string> ItemForm(string titleZh, string price, string rate = "", string image = "", int categoryId = 3) => new()
    {
        ["Input.TitleZh"] = titleZh, ["Input.TitleEn"] = "English " + titleZh, ["Input.CategoryId"] = categoryId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Input.PriceYuan"] = price, ["Input.RatePercent"] = rate, ["Input.ImageUrl"] = image,
    };

    private async Task<long> UserIdAsync(string email)
    {
        await using var db = app.NewDb();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    [Fact]
    public async Task A_seller_without_a_shop_is_led_to_create_one_and_the_new_shop_is_listed_with_its_rate_recorded()
    {
        using var seller = new BrowserSession(app);
        await seller.SignUpAsync($"seller-{Guid.NewGuid():N}@example.test", "Seller!pass1", "Seller");

        var empty = await seller.PageAsync("/Seller/Shops");
        empty.Should().Contain("You have no shop yet").And.Contain("href=\"/Seller/Shops/Create\"");

        var slug = "tea-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await seller.SubmitAsync("/Seller/Shops/Create", "/Seller/Shops/Create", ShopForm(slug, "6.25", "西湖茶庄", "West Lake Tea House"));

        created.StatusCode.Should().Be(HttpStatusCode.Redirect, PageText.Messages(await created.Content.ReadAsStringAsync()));
        await using var db = app.NewDb();
        var shop = await db.Shops.AsNoTracking().SingleAsync(s => s.Slug == slug);
        shop.Should().BeEquivalentTo(new { NameZh = "西湖茶庄", NameEn = "West Lake Tea House", GeneralRateBp = 625, Description = "耳机和手机配件 Earbuds and phone accessories" });
        created.Headers.Location!.OriginalString.Should().Be($"/Seller/Shops/{shop.Id}/Items");
        (await db.CommissionRateChanges.Where(c => c.ShopId == shop.Id).Select(c => new { c.ItemId, c.RateBp }).ToListAsync())
            .Should().Equal(new { ItemId = (long?)null, RateBp = (int?)625 });
        var list = await seller.PageAsync("/Seller/Shops");
        list.Should().Contain("West Lake Tea House").And.Contain("6.25 %").And.NotContain("You have no shop yet");
    }

    [Theory]
    [InlineData("hangzhou-xingtuo-digital", "5", "This address name is taken")]
    [InlineData("Bad Slug", "5", "Use lowercase letters, digits and single hyphens")]
    [InlineData("-leading-hyphen", "5", "Use lowercase letters, digits and single hyphens")]
    [InlineData("fine-slug-rate", "90.5", "must be between 0 and 90")]
    [InlineData("fine-slug-decimals", "5.125", "at most two decimals")]
    public async Task A_bad_shop_form_is_answered_with_a_form_error_and_writes_nothing(string slug, string rate, string message)
    {
        using var seller = await app.DemoSellerAsync(1);
        await using var before = app.NewDb();
        var shops = await before.Shops.CountAsync();
        var changes = await before.CommissionRateChanges.CountAsync();

        using var response = await seller.SubmitAsync("/Seller/Shops/Create", "/Seller/Shops/Create", ShopForm(slug, rate));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.Messages(await response.Content.ReadAsStringAsync()).Should().Contain(message);
        await using var after = app.NewDb();
        (await after.Shops.CountAsync()).Should().Be(shops);
        (await after.CommissionRateChanges.CountAsync()).Should().Be(changes);
    }

    [Fact]
    public async Task Editing_the_general_rate_saves_the_profile_and_writes_one_rate_change()
    {
        var shopId = await app.NewShopAsync(1, generalRateBp: 300);
        using var seller = await app.DemoSellerAsync(1);
        var page = $"/Seller/Shops/{shopId}";

        using var response = await seller.SubmitAsync(page, page, new Dictionary<string, string>
        {
            ["Input.NameEn"] = "Renamed shop", ["Input.Description"] = "新的介绍", ["Input.RatePercent"] = "7.5",
        });
        // Saving again without a new rate writes no further history.
        using var again = await seller.SubmitAsync(page, page, new Dictionary<string, string> { ["Input.Description"] = "新的介绍" });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        again.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await using var db = app.NewDb();
        (await db.Shops.SingleAsync(s => s.Id == shopId)).Should().BeEquivalentTo(new { NameEn = "Renamed shop", Description = "新的介绍", GeneralRateBp = 750 });
        var userId = await UserIdAsync("seller1@taobaoalliance.local");
        (await db.CommissionRateChanges.Where(c => c.ShopId == shopId).Select(c => new { c.ItemId, c.RateBp, c.ChangedByUserId, c.EffectiveFrom }).ToListAsync())
            .Should().Equal(new { ItemId = (long?)null, RateBp = (int?)750, ChangedByUserId = (long?)userId, EffectiveFrom = app.Clock.GetUtcNow() });
        (await seller.PageAsync(page)).Should().Contain("7.5 %");
    }

    [Fact]
    public async Task A_seller_creates_edits_finds_delists_and_relists_an_item_and_rate_changes_are_recorded()
    {
        var shopId = await app.NewShopAsync(1, generalRateBp: 400);
        using var seller = await app.DemoSellerAsync(1);
        var title = "降噪蓝牙耳机 " + Guid.NewGuid().ToString("N")[..6];

        using var created = await seller.SubmitAsync($"/Seller/Shops/{shopId}/Items/Edit", $"/Seller/Shops/{shopId}/Items/Edit", ItemForm(title, "129.90"));
        created.StatusCode.Should().Be(HttpStatusCode.Redirect, PageText.Messages(await created.Content.ReadAsStringAsync()));
        await using (var db = app.NewDb())
        {
            var item = await db.Items.AsNoTracking().SingleAsync(i => i.ShopId == shopId);
            item.Should().BeEquivalentTo(new { TitleZh = title, CategoryId = 3, PriceFen = 12990L, CommissionRateBp = (int?)null, ImageUrl = "/img/items/digital-phones.svg", IsListed = true });
            (await db.CommissionRateChanges.CountAsync(c => c.ShopId == shopId)).Should().Be(0, "the item pays the shop rate: nothing changed");
        }
        long itemId;
        await using (var db = app.NewDb()) itemId = await db.Items.Where(i => i.ShopId == shopId).Select(i => i.Id).SingleAsync();

        var edit = $"/Seller/Shops/{shopId}/Items/Edit/{itemId}";
        using var edited = await seller.SubmitAsync(edit, edit, ItemForm(title, "99", "12.5", "https://img.example.com/a.jpg", categoryId: 4));
        edited.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await using (var db = app.NewDb())
        {
            (await db.Items.AsNoTracking().SingleAsync(i => i.Id == itemId))
                .Should().BeEquivalentTo(new { CategoryId = 4, PriceFen = 9900L, CommissionRateBp = (int?)1250, ImageUrl = "https://img.example.com/a.jpg" });
            (await db.CommissionRateChanges.Where(c => c.ShopId == shopId).Select(c => new { c.ItemId, c.RateBp }).ToListAsync())
                .Should().Equal(new { ItemId = (long?)itemId, RateBp = (int?)1250 });
        }

        var list = await seller.PageAsync($"/Seller/Shops/{shopId}/Items?q=" + Uri.EscapeDataString(title[..4]));
        list.Should().Contain($"data-item-id=\"{itemId}\"").And.Contain("12.5 %").And.Contain("¥99.00");
        (await seller.PageAsync($"/Seller/Shops/{shopId}/Items?q=" + Uri.EscapeDataString("没有这个"))).Should().NotContain($"data-item-id=\"{itemId}\"");

        using var delisted = await seller.SubmitAsync($"/Seller/Shops/{shopId}/Items", $"/Seller/Shops/{shopId}/Items?handler=Delist",
            pick: f => f.Fields.GetValueOrDefault("itemId") == itemId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        delisted.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await using (var db = app.NewDb()) (await db.Items.SingleAsync(i => i.Id == itemId)).IsListed.Should().BeFalse();
        (await seller.PageAsync($"/Seller/Shops/{shopId}/Items?show=Listed")).Should().NotContain($"data-item-id=\"{itemId}\"");
        (await seller.PageAsync($"/Seller/Shops/{shopId}/Items?show=Delisted")).Should().Contain($"data-item-id=\"{itemId}\"");

        using var relisted = await seller.SubmitAsync($"/Seller/Shops/{shopId}/Items", $"/Seller/Shops/{shopId}/Items?handler=Relist",
            pick: f => f.Fields.GetValueOrDefault("itemId") == itemId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        relisted.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await using (var db = app.NewDb()) (await db.Items.SingleAsync(i => i.Id == itemId)).IsListed.Should().BeTrue();
    }

    [Theory]
    [InlineData("-1", "", "", "must be between 0 and")]
    [InlineData("1.234", "", "", "at most two decimals")]
    [InlineData("10", "91", "", "must be between 0 and 90")]
    [InlineData("10", "5.555", "", "at most two decimals")]
    [InlineData("10", "", "javascript:alert(1)", "The image address must start with")]
    [InlineData("10", "", "//evil.example.com/x.png", "The image address must start with")]
    public async Task A_bad_item_form_is_answered_with_a_form_error_and_writes_nothing(string price, string rate, string image, string message)
    {
        var shopId = await app.NewShopAsync(1);
        using var seller = await app.DemoSellerAsync(1);

        using var response = await seller.SubmitAsync($"/Seller/Shops/{shopId}/Items/Edit", $"/Seller/Shops/{shopId}/Items/Edit", ItemForm("坏的商品", price, rate, image));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.Messages(await response.Content.ReadAsStringAsync()).Should().Contain(message);
        (await app.ItemCountAsync(shopId)).Should().Be(0);
    }

    [Fact]
    public async Task Another_sellers_shop_and_items_are_not_found_and_stay_unchanged()
    {
        await using var arrange = app.NewDb();
        var item = await arrange.Items.AsNoTracking().Where(i => i.ShopId == 1 && i.IsListed).OrderBy(i => i.Id).FirstAsync();
        var shop = await arrange.Shops.AsNoTracking().SingleAsync(s => s.Id == 1);
        var ownItemOfShop6 = await arrange.Items.Where(i => i.ShopId == 6).Select(i => i.Id).FirstAsync();
        var rateChanges = await arrange.CommissionRateChanges.CountAsync();
        using var seller2 = await app.DemoSellerAsync(2);

        foreach (var url in new[]
        {
            "/Seller/Shops/1", "/Seller/Shops/1/Items", $"/Seller/Shops/1/Items/Edit/{item.Id}", "/Seller/Shops/1/Items/Edit",
            "/Seller/Shops/1/Import", "/Seller/Shops/1/Export", "/Seller/Shops/1/Import?handler=Template", "/Seller/Plans/Create?shop=1",
            // seller2's own item under seller2's other shop's address is not found either
            $"/Seller/Shops/7/Items/Edit/{ownItemOfShop6}",
        })
        {
            (await seller2.StatusAsync(url)).Should().Be(HttpStatusCode.NotFound, url);
        }

        var posts = new (string Url, Dictionary<string, string> Fields)[]
        {
            ("/Seller/Shops/1", new() { ["Input.NameZh"] = "抢走", ["Input.NameEn"] = "Taken", ["Input.RatePercent"] = "1" }),
            ($"/Seller/Shops/1/Items/Edit/{item.Id}", ItemForm("抢走", "1", "1")),
            ("/Seller/Shops/1/Items/Edit", ItemForm("抢走", "1", "1")),
            ("/Seller/Shops/1/Items?handler=Delist", new() { ["itemId"] = item.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        };
        foreach (var (url, fields) in posts)
        {
            using var response = await seller2.PostAsync(url, fields, "/Seller/Shops");
            response.StatusCode.Should().Be(HttpStatusCode.NotFound, url);
        }
        await using var db = app.NewDb();
        (await db.Shops.AsNoTracking().SingleAsync(s => s.Id == 1)).Should().BeEquivalentTo(shop);
        (await db.Items.AsNoTracking().SingleAsync(i => i.Id == item.Id)).Should().BeEquivalentTo(item);
        (await db.Items.CountAsync(i => i.TitleZh == "抢走")).Should().Be(0);
        (await db.CommissionRateChanges.CountAsync()).Should().Be(rateChanges);
    }

    [Fact]
    public async Task The_seller_pages_read_in_Chinese()
    {
        using var seller = new BrowserSession(app, "zh-CN");
        await seller.SignInAsync("seller1@taobaoalliance.local", "Seller1!demo");

        (await seller.PageAsync("/Seller/Shops")).Should().Contain("我的店铺").And.Contain("通用佣金比例").And.NotContain("General rate");
        (await seller.PageAsync("/Seller/Shops/1/Items")).Should().Contain("添加商品").And.Contain("导入 CSV").And.NotContain("Add an item");
        (await seller.PageAsync("/Seller/Shops/1/Import")).Should().Contain("检查并导入").And.NotContain("Check and import");
        (await seller.PageAsync("/Seller/Plans")).Should().Contain("定向计划").And.NotContain("Targeted plans");
        (await seller.PageAsync("/Seller/Plans/Create?shop=1")).Should().Contain("计划佣金比例（%）").And.NotContain("Plan rate (%)");
    }
}
