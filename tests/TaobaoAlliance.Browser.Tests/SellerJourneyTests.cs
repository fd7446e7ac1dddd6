using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Browser.Tests.Infrastructure;
using TaobaoAlliance.Data.Cpc;
using Xunit.Abstractions;

namespace TaobaoAlliance.Browser.Tests;

/// <summary>
/// The journey of issue 5 in a real browser, with a screenshot each step: a seller signs up, opens a
/// shop, imports items from a CSV, funds the wallet and starts a CPC campaign; the ad appears in a
/// webmaster's smart zone embedded on a real (local) web page; a shopper clicks it; the seller's report
/// shows the spend and the webmaster's dashboard the CPC earnings.
/// </summary>
public sealed partial class SellerJourneyTests(BrowserApp app, ITestOutputHelper output) : IClassFixture<BrowserApp>
{
    private int step;

    private async Task ShotAsync(IPage page, string name)
    {
        var path = Path.Combine(BrowserApp.ScreenshotFolder, $"seller-{++step:00}-{name}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    private static async Task NoSeriousViolationsAsync(IPage page, string what) =>
        (await Axe.SeriousViolationsAsync(page)).Should().BeEmpty($"{what} must have no critical or serious accessibility violations");

    [Fact]
    public async Task A_sellers_campaign_wins_a_webmasters_smart_zone_and_both_see_the_paid_click()
    {
        await using var webmasterSite = LocalTestSite.Serving("<!DOCTYPE html><html><head><title>Test site</title></head><body>Hello</body></html>");

        // 1. A seller signs up and opens a shop.
        var seller = await app.NewPageAsync();
        await Portal.SignUpAsync(app, seller, Portal.NewEmail("seller"), "Seller");
        await seller.GotoAsync("/Seller/Shops/Create");
        var slug = "journey-" + Guid.NewGuid().ToString("N")[..8];
        await seller.FillAsync("input[name='Input.Slug']", slug);
        await seller.FillAsync("input[name='Input.NameZh']", "旅程数码");
        await seller.FillAsync("input[name='Input.NameEn']", "Journey Gadgets");
        await seller.FillAsync("textarea[name='Input.Description']", "耳机与配件 Earbuds and accessories");
        await seller.FillAsync("input[name='Input.RatePercent']", "5");
        await seller.GetByRole(AriaRole.Button, new() { Name = "Create shop" }).ClickAsync();
        await seller.WaitForURLAsync(new Regex(@"/Seller/Shops/\d+/Items"));
        var shopId = long.Parse(ShopId().Match(seller.Url).Groups[1].Value, CultureInfo.InvariantCulture);
        await ShotAsync(seller, "shop-created");

        // 2. Imports three items from a CSV file.
        await seller.GotoAsync($"/Seller/Shops/{shopId}/Import");
        var csv = """
            title_zh,title_en,category,price_yuan,commission_rate_percent,image_url
            旅程降噪耳机,Journey noise-cancelling earbuds,digital-phones,299.00,8,
            旅程快充充电器,Journey fast charger,digital-phones,89.50,,
            旅程手机壳,Journey phone case,digital-phones,39.90,12.5,
            """;
        await seller.Locator("#import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "items.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv),
        });
        await seller.GetByRole(AriaRole.Button, new() { Name = "Check and import" }).ClickAsync();
        await seller.WaitForURLAsync(new Regex($@"/Seller/Shops/{shopId}/Items"));
        (await seller.ContentAsync()).Should().Contain("Journey noise-cancelling earbuds").And.Contain("Journey phone case");
        await ShotAsync(seller, "items-imported");

        // 3. Deposits ¥100 through the (development) payment step.
        await seller.GotoAsync("/Seller/Wallet");
        await seller.FillAsync("#deposit-amount", "100");
        await seller.GetByRole(AriaRole.Button, new() { Name = "Deposit", Exact = true }).ClickAsync();
        await seller.WaitForLoadStateAsync();
        (await seller.Locator("[data-balance='wallet']").InnerTextAsync()).Should().Contain("¥100.00");
        await NoSeriousViolationsAsync(seller, "the wallet");
        await ShotAsync(seller, "wallet-funded");

        // 4. Starts a CPC campaign on its items for sites about digital goods, bidding ¥1.00 a click.
        await seller.GotoAsync("/Seller/Campaigns/Edit");
        await seller.FillAsync("input[name='Input.Name']", "旅程推广 Journey launch");
        foreach (var box in await seller.Locator("input[name='Input.ItemIds']").AllAsync()) await box.CheckAsync();
        await seller.FillAsync("input[name='Input.BidYuan']", "1.00");
        await seller.FillAsync("input[name='Input.DailyBudgetYuan']", "50");
        await seller.CheckAsync("input[name='Input.CategoryIds'][value='3']");
        await NoSeriousViolationsAsync(seller, "the campaign form");
        await seller.GetByRole(AriaRole.Button, new() { Name = "Start campaign" }).ClickAsync();
        await seller.WaitForURLAsync(new Regex("/Seller/Campaigns$"));
        (await seller.ContentAsync()).Should().Contain("Journey launch");
        await ShotAsync(seller, "campaign-started");

        // 5. The demo webmaster copies the script of the site's smart zone onto the site's page.
        var webmaster = await app.NewPageAsync();
        await Portal.SignInAsync(webmaster, "webmaster1@taobaoalliance.local", "Webmaster1!demo");
        long siteId, zoneId;
        await using (var db = app.NewDb())
        {
            var zone = await db.AdZones.Where(z => z.IsSmart && z.Site.Webmaster.User.Email == "webmaster1@taobaoalliance.local")
                .Select(z => new { z.Id, z.SiteId }).FirstAsync();
            (siteId, zoneId) = (zone.SiteId, zone.Id);
        }
        await webmaster.GotoAsync($"/Webmaster/Sites/{siteId}");
        var snippet = await webmaster.InputValueAsync($"#embed-script-{zoneId}");
        snippet.Should().Contain($"/z/{zoneId}/embed.js");
        await ShotAsync(webmaster, "smart-zone-embed-code");
        webmasterSite.Respond = _ => new TestResponse(200, $"<!DOCTYPE html><html lang=\"en\"><head><title>Gadget Fans</title></head><body><h1>Gadget Fans</h1><p>Today's pick:</p>{snippet}</body></html>");

        // 6. A shopper reads the webmaster's page: the zone shows the new campaign's ad (its ¥1.00 bid beats the demo ¥0.60 and ¥0.45).
        var shopper = await app.NewPageAsync();
        await shopper.GotoAsync(webmasterSite.BaseUrl.ToString());
        var ad = shopper.FrameLocator("iframe").Locator("a.zone-ad");
        await ad.WaitForAsync();
        (await ad.InnerTextAsync()).Should().Contain("Journey");
        await ShotAsync(shopper, "ad-on-webmaster-site");

        // 7. The shopper clicks the ad and lands on the item in the storefront.
        await ad.ClickAsync();
        await shopper.WaitForURLAsync(new Regex(@"/item/\d+\?alliance_click="));
        (await shopper.ContentAsync()).Should().Contain("Journey");
        await ShotAsync(shopper, "shopper-on-item");

        // The click paid the second price: the best rival bid (¥0.60), half of it to the webmaster.
        await using (var db = app.NewDb())
        {
            var charge = await db.CpcCharges.Where(c => c.ZoneId == zoneId).OrderByDescending(c => c.ChargedAt).FirstAsync();
            charge.Should().BeEquivalentTo(new { Outcome = CpcChargeOutcome.Charged, PriceFen = 60L, WebmasterShareFen = 30L });
        }

        // 8. The seller's report shows the CPC spend; the webmaster's dashboard the CPC earnings.
        await seller.GotoAsync("/Seller/Reports");
        (await seller.Locator("[data-metric='cpc']").First.InnerTextAsync()).Should().Be("¥0.60");
        await NoSeriousViolationsAsync(seller, "the seller's report");
        await ShotAsync(seller, "seller-report");
        await webmaster.GotoAsync("/Webmaster");
        (await webmaster.Locator("[data-metric='cpc-earnings']").First.InnerTextAsync()).Should().Be("¥0.30");
        await ShotAsync(webmaster, "webmaster-cpc-earnings");
    }

    [GeneratedRegex(@"/Seller/Shops/(\d+)/Items")]
    private static partial Regex ShopId();
}
