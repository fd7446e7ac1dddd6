using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Web.Tests.Areas.Seller.Plans;

namespace TaobaoAlliance.Web.Tests.Areas.Seller.Shops;

/// <summary>CSV import and export over HTTP: a bad line imports nothing and is named; a good file imports every item; export round-trips.</summary>
public sealed class ItemImportTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private static string Line(int n, string price = "19.90", string rate = "5.5", string category = "digital-phones") =>
        $"测试商品 {n},Test item {n},{category},{price},{rate},";

    [Fact]
    public async Task A_file_with_one_bad_line_imports_nothing_and_the_page_names_the_line_and_the_reason()
    {
        var shopId = await app.NewShopAsync();
        using var seller = await app.DemoSellerAsync(1);
        var csv = string.Join("\n", SellerCatalogTesting.Header, Line(1), Line(2), Line(3, price: "-5.00"), Line(4), Line(5)) + "\n";

        using var response = await seller.UploadCsvAsync(shopId, SellerCatalogTesting.Utf8(csv));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var errors = SellerCatalogTesting.ImportErrors(await response.Content.ReadAsStringAsync());
        errors.Keys.Should().Equal(4);
        errors[4].Should().Contain("The price must not be negative.");
        (await app.ItemCountAsync(shopId)).Should().Be(0);
    }

    [Fact]
    public async Task Every_bad_line_is_listed_with_every_reason_and_nothing_is_imported()
    {
        var shopId = await app.NewShopAsync();
        using var seller = await app.DemoSellerAsync(1);
        var csv = string.Join("\r\n",
            SellerCatalogTesting.Header,
            Line(1),
            ",,no-such-category,abc,95,ftp://x",            // line 3: everything wrong
            Line(4, rate: "12.345"),
            "",                                              // line 5: blank lines are skipped but still counted
            Line(6, price: "1.999"),
            "只有两列,two columns",                             // line 7
            $"\"多行\n标题\",Two-line title,books,10,,",          // lines 8–9: a quoted line break is fine
            Line(10, category: "BOOKS", rate: "")) + "\r\n";

        using var response = await seller.UploadCsvAsync(shopId, SellerCatalogTesting.Utf8(csv));

        var errors = SellerCatalogTesting.ImportErrors(await response.Content.ReadAsStringAsync());
        errors.Keys.Should().Equal(3, 4, 6, 7);
        errors[3].Should().Contain("title_zh is required.").And.Contain("title_en is required.").And.Contain("There is no category “no-such-category”.")
            .And.Contain("price_yuan “abc” is not a number").And.Contain("between 0 and 90 %").And.Contain("The image address must start with");
        errors[4].Should().Contain("between 0 and 90 % with at most two decimals");
        errors[6].Should().Contain("at most two decimals");
        errors[7].Should().Contain("The line has 2 columns; the header has 6.");
        (await app.ItemCountAsync(shopId)).Should().Be(0);
    }

    [Theory]
    [InlineData("title_zh,title_en,category,price,commission_rate_percent,image_url\n", "Unknown column “price”")]
    [InlineData("title_zh,title_en,category,price_yuan,commission_rate_percent\n", "The header has no column “image_url”")]
    [InlineData("", "The file is empty")]
    [InlineData("Title_ZH,title_en,category,price_yuan,commission_rate_percent,image_url\n", "The file has a header but no items.")]
    public async Task A_file_with_a_bad_header_or_no_items_is_refused_at_line_1(string csv, string message)
    {
        var shopId = await app.NewShopAsync();
        using var seller = await app.DemoSellerAsync(1);

        // With the BOM that Excel's "CSV UTF-8" writes: it must not become part of the first column's name.
        using var response = await seller.UploadCsvAsync(shopId, [0xEF, 0xBB, 0xBF, .. SellerCatalogTesting.Utf8(csv)]);

        var errors = SellerCatalogTesting.ImportErrors(await response.Content.ReadAsStringAsync());
        errors.Keys.Should().Equal(1);
        errors[1].Should().Contain(message);
        (await app.ItemCountAsync(shopId)).Should().Be(0);
    }

    [Fact]
    public async Task A_file_that_is_not_utf8_is_refused_with_a_hint()
    {
        var shopId = await app.NewShopAsync();
        using var seller = await app.DemoSellerAsync(1);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = Encoding.GetEncoding("GB18030").GetBytes(SellerCatalogTesting.Header + "\n" + Line(1) + "\n");

        using var response = await seller.UploadCsvAsync(shopId, gbk);

        SellerCatalogTesting.ImportErrors(await response.Content.ReadAsStringAsync()).Values.Should().ContainSingle()
            .Which.Should().Contain("not UTF-8");
        (await app.ItemCountAsync(shopId)).Should().Be(0);
    }

    [Fact]
    public async Task A_good_file_of_1000_items_imports_all_of_them_with_their_rates_recorded()
    {
        var shopId = await app.NewShopAsync();
        using var seller = await app.DemoSellerAsync(1);
        var csv = new StringBuilder(SellerCatalogTesting.Header).Append('\n');
        for (var n = 1; n <= 1000; n++)
        {
            csv.Append(Line(n, price: (n + 0.5m).ToString("0.00", CultureInfo.InvariantCulture), rate: n % 2 == 0 ? "" : "7.25")).Append('\n');
        }

        using var response = await seller.UploadCsvAsync(shopId, SellerCatalogTesting.Utf8(csv.ToString()));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, PageText.Messages(await response.Content.ReadAsStringAsync()));
        response.Headers.Location!.OriginalString.Should().Be($"/Seller/Shops/{shopId}/Items");
        (await seller.PageAsync($"/Seller/Shops/{shopId}/Items")).Should().Contain("Imported 1,000 items");
        await using var db = app.NewDb();
        (await db.Items.CountAsync(i => i.ShopId == shopId)).Should().Be(1000);
        (await db.Items.SingleAsync(i => i.ShopId == shopId && i.TitleEn == "Test item 7"))
            .Should().BeEquivalentTo(new { TitleZh = "测试商品 7", CategoryId = 3, PriceFen = 750L, CommissionRateBp = (int?)725, IsListed = true, ImageUrl = "/img/items/digital-phones.svg" });
        (await db.Items.SingleAsync(i => i.ShopId == shopId && i.TitleEn == "Test item 8")).CommissionRateBp.Should().BeNull();
        (await db.CommissionRateChanges.CountAsync(c => c.ShopId == shopId && c.ItemId != null && c.RateBp == 725)).Should().Be(500);
    }

    [Fact]
    public async Task An_export_is_utf8_with_a_bom_and_imports_back_into_the_same_items()
    {
        var target = await app.NewShopAsync();
        using var seller = await app.DemoSellerAsync(1);

        using var export = await seller.GetAsync("/Seller/Shops/1/Export");
        export.StatusCode.Should().Be(HttpStatusCode.OK);
        export.Content.Headers.ContentType!.ToString().Should().Be("text/csv; charset=utf-8");
        var bytes = await export.Content.ReadAsByteArrayAsync();
        bytes.Take(3).Should().Equal(0xEF, 0xBB, 0xBF);
        Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Should().StartWith(SellerCatalogTesting.Header + "\r\n");

        using var imported = await seller.UploadCsvAsync(target, bytes, "export.csv");

        imported.StatusCode.Should().Be(HttpStatusCode.Redirect, PageText.Messages(await imported.Content.ReadAsStringAsync()));
        await using var db = app.NewDb();
        var original = await db.Items.Where(i => i.ShopId == 1).OrderBy(i => i.Id)
            .Select(i => new { i.TitleZh, i.TitleEn, i.CategoryId, i.PriceFen, i.CommissionRateBp, i.ImageUrl }).ToListAsync();
        var copy = await db.Items.Where(i => i.ShopId == target).OrderBy(i => i.Id)
            .Select(i => new { i.TitleZh, i.TitleEn, i.CategoryId, i.PriceFen, i.CommissionRateBp, i.ImageUrl }).ToListAsync();
        original.Should().NotBeEmpty();
        copy.Should().Equal(original);
    }

    [Fact]
    public async Task The_template_imports_as_it_is()
    {
        var shopId = await app.NewShopAsync();
        using var seller = await app.DemoSellerAsync(1);

        using var template = await seller.GetAsync($"/Seller/Shops/{shopId}/Import?handler=Template");
        template.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        using var imported = await seller.UploadCsvAsync(shopId, await template.Content.ReadAsByteArrayAsync());

        imported.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await app.ItemCountAsync(shopId)).Should().Be(2);
    }
}
