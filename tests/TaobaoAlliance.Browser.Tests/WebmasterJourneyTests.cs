using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using TaobaoAlliance.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TaobaoAlliance.Browser.Tests;

/// <summary>
/// The journey of issue 4 in a real browser, step by step with a screenshot each: a webmaster signs up
/// and gets a site approved, links an item, a shopper clicks and buys, and the webmaster sees it.
/// </summary>
public sealed partial class WebmasterJourneyTests(BrowserApp app, ITestOutputHelper output) : IClassFixture<BrowserApp>
{
    private int step;

    private async Task ShotAsync(IPage page, string name)
    {
        var path = Path.Combine(BrowserApp.ScreenshotFolder, $"journey-{++step:00}-{name}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    private static async Task NoSeriousViolationsAsync(IPage page, string what) =>
        (await Axe.SeriousViolationsAsync(page)).Should().BeEmpty($"{what} must have no critical or serious accessibility violations");

    /// <summary>Registers a site and returns its id (from the details page's URL).</summary>
    private static async Task<long> RegisterSiteAsync(IPage page, string name, Uri url)
    {
        await page.GotoAsync("/Webmaster/Sites/Register");
        await page.FillAsync("input[name='Input.Name']", name);
        await page.FillAsync("input[name='Input.Url']", url.ToString());
        await page.SelectOptionAsync("select[name='Input.CategoryId']", "3");
        await page.FillAsync("input[name='Input.ClaimedDailyVisitors']", "1200");
        await page.FillAsync("textarea[name='Input.Description']", "评测与导购 Reviews and buying guides");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register site" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/Webmaster/Sites/\d+"));
        return long.Parse(SiteId().Match(page.Url).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_webmaster_gets_a_site_approved_links_an_item_and_sees_the_shoppers_order()
    {
        await using var testSite = LocalTestSite.Serving("<!DOCTYPE html><html><head><title>Test site</title></head><body>Hello</body></html>");
        var email = $"journey-{Guid.NewGuid():N}"[..20] + "@test.local";

        // 1. Sign up, register a site, verify it against a local test site, see "pending review".
        var webmaster = await app.NewPageAsync();
        await webmaster.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await Portal.SignUpAsync(app, webmaster, email, "Webmaster");
        webmaster.Url.Should().EndWith("/Webmaster", "sign-up lands a webmaster in the webmaster centre");
        (await webmaster.Locator("#first-steps").IsVisibleAsync()).Should().BeTrue();
        (await webmaster.Locator("#step-register-site").IsVisibleAsync()).Should().BeTrue();
        (await Axe.SeriousViolationsAsync(webmaster)).Should().BeEmpty();
        var siteId = await RegisterSiteAsync(webmaster, "数码测评 Gadget Lab", testSite.BaseUrl);
        var tag = await webmaster.InputValueAsync("#meta-tag");
        testSite.Respond = _ => new TestResponse(200, $"<!DOCTYPE html><html><head>{tag}<title>Gadget Lab</title></head><body>Reviews</body></html>");
        await webmaster.GetByRole(AriaRole.Button, new() { Name = "Verify now" }).ClickAsync();
        await webmaster.WaitForLoadStateAsync();
        (await webmaster.ContentAsync()).Should().Contain("pending review");
        await webmaster.FillAsync("input[name='Zone.Name']", "侧边栏 Sidebar");
        await webmaster.GetByRole(AriaRole.Button, new() { Name = "Add zone" }).ClickAsync();
        await webmaster.WaitForLoadStateAsync();
        (await webmaster.Locator(".zone-pid").First.InputValueAsync()).Should().MatchRegex(@"^mm_\d+_" + siteId + @"_\d+$");
        await ShotAsync(webmaster, "site-verified-pending-review");

        // 2. The admin approves it from the review queue.
        var admin = await app.NewPageAsync();
        await Portal.SignInAsync(admin, "admin@taobaoalliance.local", "Admin!2026demo");
        await admin.GotoAsync("/Admin/Sites");
        await NoSeriousViolationsAsync(admin, "the review queue");
        var queued = admin.Locator($"#site-{siteId}");
        (await queued.InnerTextAsync()).Should().Contain("Gadget Lab");
        await queued.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await admin.WaitForLoadStateAsync();
        await ShotAsync(admin, "admin-approved-site");

        // 3. The webmaster searches the library in Chinese and gets a short link for item 14.
        await using var db = app.NewDb();
        var item = await db.Items.Where(i => i.Id == 14).Select(i => new { i.TitleZh, i.PriceFen, i.CommissionRateBp }).SingleAsync();
        await webmaster.GotoAsync("/Webmaster/Library?q=" + Uri.EscapeDataString(item.TitleZh[..3]));
        await NoSeriousViolationsAsync(webmaster, "the item library");
        await webmaster.Locator("[data-link-item='14']").ClickAsync();
        await webmaster.Locator("#link-modal").WaitForAsync(new() { State = WaitForSelectorState.Visible });
        await webmaster.Locator("#link-form button[type='submit']").ClickAsync();
        await webmaster.WaitForFunctionAsync("() => document.querySelector('#link-short').value.length > 0");
        var shortLink = await webmaster.InputValueAsync("#link-short");
        shortLink.Should().MatchRegex(@"/c/[A-Za-z0-9]{8}$");
        await webmaster.Locator("[data-copy-target='link-short']").ClickAsync();
        (await webmaster.EvaluateAsync<string>("() => navigator.clipboard.readText()")).Should().Be(shortLink);
        await ShotAsync(webmaster, "library-short-link-copied");

        // 4. A shopper opens the short link, lands on the item, signs up as a buyer and buys.
        var shopper = await app.NewPageAsync(width: 390, height: 844, locale: "zh-CN");
        await shopper.GotoAsync(new Uri(shortLink).PathAndQuery);
        shopper.Url.Should().Contain("/item/14").And.Contain("alliance_click=");
        await NoSeriousViolationsAsync(shopper, "the item page");
        await Portal.SignUpAsync(app, shopper, $"shopper-{Guid.NewGuid():N}"[..20] + "@test.local", "Buyer", returnUrl: "/item/14");
        await shopper.WaitForURLAsync("**/item/14");
        await shopper.Locator("form.add-to-cart button[type='submit']").ClickAsync();
        await shopper.GotoAsync("/cart");
        await shopper.Locator("form[action*='Checkout'] button[type='submit']").ClickAsync();
        await shopper.WaitForURLAsync("**/orders**");
        await ShotAsync(shopper, "shopper-bought-on-a-phone");

        // 5. The webmaster's dashboard and report show the click, the order and the estimated commission.
        var rate = item.CommissionRateBp!.Value;
        var commission = (long)Math.Round(item.PriceFen * (decimal)rate / 10_000m, MidpointRounding.AwayFromZero);
        var webmasterShare = commission - (long)Math.Round(commission * 0.1m, MidpointRounding.AwayFromZero);
        var expected = $"¥{webmasterShare / 100m:#,0.00}";
        await webmaster.GotoAsync("/Webmaster");
        (await webmaster.Locator("#window-today").InnerTextAsync()).Should().Contain(expected);
        await ShotAsync(webmaster, "dashboard");
        await webmaster.GotoAsync("/Webmaster/Reports");
        await NoSeriousViolationsAsync(webmaster, "the report");
        (await webmaster.Locator("#report-table").InnerTextAsync()).Should().Contain(expected);
        await ShotAsync(webmaster, "report");

        // 6. The admin rejects a second site with a reason; the webmaster sees the reason.
        var secondId = await RegisterSiteAsync(webmaster, "Copycat <b>deals</b>", new Uri("https://copycat-deals.example.com/"));
        await admin.GotoAsync("/Admin/Sites");
        var second = admin.Locator($"#site-{secondId}");
        await admin.Locator($"#reject-reason-{secondId}").FillAsync("The content is copied from other sites.");
        await second.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await admin.WaitForLoadStateAsync();
        await webmaster.GotoAsync("/Webmaster/Sites");
        var sites = await webmaster.ContentAsync();
        sites.Should().Contain("The content is copied from other sites.").And.Contain("Copycat &lt;b&gt;deals&lt;/b&gt;");
        await ShotAsync(webmaster, "webmaster-sees-rejection-reason");
    }

    [GeneratedRegex(@"/Webmaster/Sites/(\d+)")]
    private static partial Regex SiteId();
}
