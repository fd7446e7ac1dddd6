using TaobaoAlliance.Browser.Tests.Infrastructure;

namespace TaobaoAlliance.Browser.Tests;

/// <summary>
/// Every page of the seller and webmaster centres in a real browser, signed in as a demo account: it renders without
/// horizontal overflow of the page itself, and axe finds nothing critical or serious, at desktop and phone width.
/// </summary>
public sealed class CentrePageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static readonly string[] Pages =
    [
        "/Seller", "/Seller/Shops", "/Seller/Shops/1", "/Seller/Shops/1/Items", "/Seller/Shops/1/Import", "/Seller/Plans",
        "/Seller/Campaigns", "/Seller/Campaigns/Edit", "/Seller/Wallet", "/Seller/Reports", "/Seller/ApiSecrets",
    ];

    /// <summary>Empty when the page does not scroll sideways; otherwise the widths and the elements reaching furthest right.</summary>
    private const string SidewaysOverflow = """
        () => document.documentElement.scrollWidth <= window.innerWidth + 1 ? '' :
            `page ${document.documentElement.scrollWidth} px wide in a ${window.innerWidth} px window; furthest right: ` +
            [...document.querySelectorAll('body *')]
                .filter(e => !e.parentElement?.closest('.table-responsive, .overflow-auto'))
                .map(e => ({ e, right: e.getBoundingClientRect().right }))
                .sort((a, b) => b.right - a.right).slice(0, 3)
                .map(x => `${x.e.tagName.toLowerCase()}.${String(x.e.className).trim().split(/\s+/).join('.')} (${Math.round(x.right)})`).join(', ')
        """;

    private static readonly string[] WebmasterPages =
    [
        "/Webmaster", "/Webmaster/Sites", "/Webmaster/Sites/1", "/Webmaster/Library", "/Webmaster/Reports", "/Webmaster/Balance",
        // The account pages every user has: the profile (download my data) and deleting the account.
        "/Account/Profile", "/Account/Delete", "/Account/AcceptInvite?token=0",
    ];

    [Theory]
    [InlineData(1280, "desktop")]
    [InlineData(390, "phone")]
    public async Task Seller_centre_pages_fit_the_screen_and_have_no_serious_accessibility_violations(int width, string name) =>
        await CheckPagesAsync("seller1@taobaoalliance.local", "Seller1!demo", Pages, width, name);

    [Theory]
    [InlineData(1280, "desktop")]
    [InlineData(390, "phone")]
    public async Task Webmaster_centre_pages_fit_the_screen_and_have_no_serious_accessibility_violations(int width, string name) =>
        await CheckPagesAsync("webmaster1@taobaoalliance.local", "Webmaster1!demo", WebmasterPages, width, name);

    private async Task CheckPagesAsync(string email, string password, string[] paths, int width, string name)
    {
        var page = await app.NewPageAsync(width: width, height: 844);
        await Portal.SignInAsync(page, email, password);

        foreach (var path in paths)
        {
            var response = await page.GotoAsync(path);
            response!.Status.Should().Be(200, path);
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotFolder, $"pages{path.Replace('/', '-')}-{name}.png"), FullPage = true });
            (await Axe.SeriousViolationsAsync(page)).Should().BeEmpty(path);
            // Wide tables scroll inside their own container; the page itself must not scroll sideways.
            (await page.EvaluateAsync<string>(SidewaysOverflow)).Should().BeEmpty($"{path} must fit {width} px");
        }
    }
}
