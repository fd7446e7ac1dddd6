using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Web.Api;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Reports;

namespace TaobaoAlliance.Web.Tests.Clicks;

/// <summary>
/// Sub-ids from the click to the order, its commissions, the report, the CSV file and the API; external stores (a
/// registered host, items with a product URL on it) and deep links — over real HTTP against the seeded demo shop 11,
/// whose store is store.lanting-tea.example and whose item 321 has a product page there.
/// </summary>
public sealed class SubIdAndExternalStoreTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const string Webmaster1Key = "ta_dev_wm1_7Qf3kP9sLx2VbN4c";
    private const string Shop1Secret = "ta_dev_shop1_secret_Wv3nB8qLz5";
    private const string Shop11Secret = "ta_dev_shop11_secret_Mt6wQ1zHd8";
    private const long ExternalItem = 321;
    private const string ExternalPage = "https://store.lanting-tea.example/products/longjing-250g";

    private HttpClient Api()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Webmaster1Key);
        return client;
    }

    private async Task<HttpResponseMessage> PostOrderAsync(long shopId, string secret, Guid clickId, long itemId, long paidFen)
    {
        var body = JsonSerializer.Serialize(new
        {
            shopId, externalOrderId = MoneyWorld.NewOrderId(), @event = "paid", occurredAt = app.Clock.GetUtcNow().AddMilliseconds(1), buyerRef = "buyer-sub",
            clickId = clickId.ToString("N"), lines = new[] { new { itemId, quantity = 1, paidFen } },
        });
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(OrdersApi.SignatureHeader, ShopSignatures.Sign(Encoding.UTF8.GetBytes(body), secret, app.Clock.GetUtcNow()));
        return await app.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task Sub_ids_of_a_click_reach_its_order_commission_report_csv_and_api()
    {
        var link = await app.NewLinkAsync(itemId: 14);
        var tag = "spring-" + Guid.NewGuid().ToString("N")[..8];
        var tooLong = new string('x', 80);

        using var click = await app.Shopper().GetAsync($"/c/{link.Code}?sub1={tag}&sub2=page%0A7&sub3={tooLong}");
        var clickId = click.ClickId();
        var row = await app.ClickAsync(clickId);
        (row.Sub1, row.Sub2, row.Sub3, row.Sub4).Should().Be((tag, "page7", new string('x', 64), (string?)null),
            "the click path keeps sub-ids leniently: control characters stripped, long values cut to 64");

        using var paid = await PostOrderAsync(1, Shop1Secret, clickId, 14, 20_000);
        paid.StatusCode.Should().Be(HttpStatusCode.OK);
        await using (var db = app.NewDb())
        {
            var commission = await db.Commissions.SingleAsync(c => c.ClickId == clickId);
            (commission.Sub1, commission.Sub2).Should().Be((tag, "page7"));
        }

        var bySub = await Api().GetFromJsonAsync<JsonElement>("/api/v1/reports?group=sub1");
        var mine = bySub.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("sub1").GetString() == tag);
        mine.GetProperty("metrics").GetProperty("validClicks").GetInt64().Should().Be(1);
        mine.GetProperty("metrics").GetProperty("orders").GetInt64().Should().Be(1);
        mine.GetProperty("metrics").GetProperty("gmvFen").GetInt64().Should().Be(20_000);
        mine.GetProperty("metrics").GetProperty("estimatedCommissionFen").GetInt64().Should().BeGreaterThan(0);

        var filtered = await Api().GetFromJsonAsync<JsonElement>($"/api/v1/reports?group=day&sub1={tag}");
        filtered.GetProperty("sub1").GetString().Should().Be(tag);
        filtered.GetProperty("total").GetProperty("validClicks").GetInt64().Should().Be(1, "only the clicks with that sub1");
        filtered.GetProperty("total").GetProperty("orders").GetInt64().Should().Be(1);

        using var me = await app.DemoWebmasterAsync(1);
        using var csv = await me.Browser.GetAsync("/Webmaster/Reports?handler=Csv&group=sub1");
        csv.StatusCode.Should().Be(HttpStatusCode.OK);
        var lines = ReportTesting.ParseCsv(Encoding.UTF8.GetString((await csv.Content.ReadAsByteArrayAsync())[3..]));
        var line = lines.Single(l => l[0] == tag);
        (line[1], line[3], line[4]).Should().Be(("1", "1", "200.00"), "valid clicks, orders and GMV of that sub1");

        using var page = await me.Browser.GetAsync($"/Webmaster/Reports?group=site&sub1={tag}");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_bad_sub_id_filter_or_link_request_is_400()
    {
        using var report = await Api().GetAsync("/api/v1/reports?group=zone&sub1=x");
        report.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using var tooLong = await Api().GetAsync("/api/v1/reports?sub1=" + new string('y', 65));
        tooLong.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var zone = await DemoZoneAsync();
        using var link = await Api().PostAsJsonAsync("/api/v1/links", new { itemId = 14, zoneId = zone, sub1 = "bad\u0007value" });
        link.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await link.Content.ReadAsStringAsync()).Should().Contain("sub1");
    }

    [Fact]
    public async Task The_link_api_appends_sub_ids_and_a_click_on_the_long_link_keeps_them()
    {
        var zone = await DemoZoneAsync();
        using var response = await Api().PostAsJsonAsync("/api/v1/links", new { itemId = 14, zoneId = zone, sub1 = "news letter", sub5 = "v2" });
        response.IsSuccessStatusCode.Should().BeTrue();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        json.GetProperty("shortUrl").GetString().Should().EndWith("?sub1=news%20letter&sub5=v2");
        var longUrl = new Uri(json.GetProperty("longUrl").GetString()!);
        longUrl.Query.Should().EndWith("&sub1=news%20letter&sub5=v2");

        using var click = await app.Shopper().GetAsync(longUrl.PathAndQuery);
        var row = await app.ClickAsync(click.ClickId());
        (row.Sub1, row.Sub5).Should().Be(("news letter", "v2"));
    }

    [Fact]
    public async Task A_click_on_an_external_item_lands_on_its_registered_host_with_the_click_id_and_its_order_attributes()
    {
        var link = await app.NewLinkAsync(itemId: ExternalItem);

        using var click = await app.Shopper().GetAsync($"/c/{link.Code}?sub1=ext&alliance_click=forged&url=https://evil.example/");
        click.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var location = click.Headers.Location!;
        location.IsAbsoluteUri.Should().BeTrue();
        location.Host.Should().Be("store.lanting-tea.example");
        var clickId = click.ClickId();
        location.AbsoluteUri.Should().Be($"{ExternalPage}?alliance_click={clickId:N}", "only the click id is appended, nothing the request sent");

        using var paid = await PostOrderAsync(11, Shop11Secret, clickId, ExternalItem, 36_800);
        paid.StatusCode.Should().Be(HttpStatusCode.OK);
        var order = await paid.Content.ReadFromJsonAsync<JsonElement>();
        order.GetProperty("attributedClickId").GetGuid().Should().Be(clickId);
        order.GetProperty("lines")[0].GetProperty("commissionFen").GetInt64().Should().Be(2_944, "8 % of ¥368, the item's rate at click time");
    }

    [Theory]
    [InlineData("https://evil.example/products/longjing-250g")]
    [InlineData("https://store.lanting-tea.example.evil.example/x")]
    [InlineData("https://store.lanting-tea.example@evil.example/x")]
    [InlineData("javascript:alert(1)")]
    [InlineData("//evil.example/x")]
    public async Task An_external_url_off_the_registered_host_is_never_a_redirect_target(string tampered)
    {
        long itemId;
        await using (var db = app.NewDb())
        {
            var item = new TaobaoAlliance.Data.Catalog.Item
            {
                ShopId = 11, CategoryId = 6, TitleZh = "测试茶", TitleEn = "Test tea", PriceFen = 1_000, ImageUrl = "/img/items/food-snacks.svg",
                CreatedAt = app.Clock.GetUtcNow(), UpdatedAt = app.Clock.GetUtcNow(),
            };
            db.Items.Add(item);
            await db.SaveChangesAsync();
            itemId = item.Id;
            // Written past every check, as a bad import or a hand edit of the database would.
            await db.Database.ExecuteSqlAsync($"UPDATE items SET external_url = {tampered} WHERE id = {itemId}");
        }
        await app.ClickTargetsCaughtUpAsync();
        var link = await app.NewLinkAsync(itemId: itemId);

        using var click = await app.Shopper().GetAsync($"/c/{link.Code}");
        var clickId = click.ClickId();
        click.Headers.Location!.OriginalString.Should().Be($"/item/{itemId}?alliance_click={clickId:N}", "the built-in storefront instead");
    }

    [Fact]
    public async Task A_pasted_product_url_of_a_registered_store_becomes_the_items_link()
    {
        var zone = await DemoZoneAsync();
        using var known = await Api().PostAsJsonAsync("/api/v1/links", new { zoneId = zone, url = ExternalPage + "?utm_source=x", sub1 = "deep" });
        known.IsSuccessStatusCode.Should().BeTrue();
        var json = await known.Content.ReadFromJsonAsync<JsonElement>();
        json.GetProperty("itemId").GetInt64().Should().Be(ExternalItem);
        json.GetProperty("shortUrl").GetString().Should().EndWith("?sub1=deep");

        using var unknownHost = await Api().PostAsJsonAsync("/api/v1/links", new { zoneId = zone, url = "https://nobody.example/p/1" });
        unknownHost.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_smart_zone_passes_its_sub_ids_to_the_ad_click()
    {
        await using var db = app.NewDb();
        var zone = await db.AdZones.Where(z => z.IsSmart && z.Site.Webmaster.User.Email == "webmaster1@taobaoalliance.local").Select(z => z.Id).FirstAsync();
        using var client = app.Shopper();
        var page = await client.GetStringAsync($"/z/{zone}?sub1=zone%20tag&sub2=%3Cb%3E");
        page.Should().Contain("zone-ad", "the demo campaigns target webmaster1's smart zone");
        page.Should().Contain("?sub1=zone%20tag&amp;sub2=%3Cb%3E\"", "the sub-ids ride on the click link, escaped");
        page.Should().NotContain("<b>");
    }

    private async Task<long> DemoZoneAsync()
    {
        await using var db = app.NewDb();
        return await db.AdZones.Where(z => !z.IsSmart && z.Site.Webmaster.User.Email == "webmaster1@taobaoalliance.local").OrderBy(z => z.Id)
            .Select(z => z.Id).FirstAsync();
    }
}
