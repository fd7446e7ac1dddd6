using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using TaobaoAlliance.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TaobaoAlliance.Browser.Tests;

/// <summary>
/// The admin's journey of issue 14 in a real browser, at desktop and phone width: from the dashboard to the traffic
/// economics page (chart, drill-down, CSV link), then a new subsidy programme through the form (a refused value first),
/// which the list shows with its spend against the cap. Axe finds nothing critical, serious or moderate on any page.
/// </summary>
public sealed class AdminEconomicsJourneyTests(BrowserApp app, ITestOutputHelper output) : IClassFixture<BrowserApp>
{
    private const string SidewaysOverflow = "() => document.documentElement.scrollWidth <= window.innerWidth + 1";

    /// <summary>Critical, serious and moderate violations (axe-core injected by the browser context, see Axe).</summary>
    private static async Task<List<string>> ViolationsAsync(IPage page)
    {
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                .filter(v => ['critical', 'serious', 'moderate'].includes(v.impact))
                .map(v => `${v.id} (${v.impact}): ${v.help} ×${v.nodes.length}`)
            """);
        return [.. json.EnumerateArray().Select(v => v.GetString()!)];
    }

    private async Task CheckAsync(IPage page, string what, string shot)
    {
        var path = Path.Combine(BrowserApp.ScreenshotFolder, $"admin-economics-{shot}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        (await ViolationsAsync(page)).Should().BeEmpty($"{what} must have no critical, serious or moderate accessibility violations");
        (await page.EvaluateAsync<bool>(SidewaysOverflow)).Should().BeTrue($"{what} must fit the screen");
    }

    [Theory]
    [InlineData(1280, "desktop")]
    [InlineData(390, "phone")]
    public async Task The_admin_reads_the_traffic_economics_and_creates_a_subsidy_programme(int width, string name)
    {
        var page = await app.NewPageAsync(width: width, height: 844);
        await Portal.SignInAsync(page, "admin@taobaoalliance.local", "Admin!2026demo");

        // The dashboard shows the seeded programme and leads to the economics page.
        await page.GotoAsync("/Admin");
        (await page.Locator(".dashboard-subsidies").InnerTextAsync()).Should().Contain("Books boost");
        await CheckAsync(page, "the dashboard", $"{name}-1-dashboard");
        await page.Locator("#economics-link").ClickAsync();
        await page.WaitForURLAsync("**/Admin/Economics");
        (await page.Locator("svg#chart-economics").CountAsync()).Should().Be(1, "the page draws its chart");
        (await page.Locator("#export-csv").GetAttributeAsync("href")).Should().Contain("handler=Csv");
        await CheckAsync(page, "the traffic economics by site", $"{name}-2-economics-sites");

        await page.GotoAsync("/Admin/Economics?group=day");
        (await page.Locator("#economics-table tbody tr").CountAsync()).Should().Be(30, "one row per day of the last 30");
        await CheckAsync(page, "the traffic economics by day", $"{name}-3-economics-days");

        // A new programme: a cap of zero is refused with a message, then it is created.
        await page.GotoAsync("/Admin/Subsidies");
        await page.Locator("#new-programme").ClickAsync();
        await page.WaitForURLAsync("**/Admin/Subsidies/Edit");
        var programme = $"Journey {name} {Guid.NewGuid().ToString("N")[..6]}";
        await page.FillAsync("input[name='Input.Name']", programme);
        await page.FillAsync("input[name='Input.BonusPercent']", "15");
        await page.FillAsync("input[name='Input.CapYuan']", "0.001");
        await page.EvaluateAsync("() => document.querySelector('form.subsidy-form').noValidate = true");
        await page.Locator("form.subsidy-form button[type='submit']").ClickAsync();
        await page.WaitForLoadStateAsync();
        (await page.ContentAsync()).Should().Contain("Cap (¥) must be between");
        await CheckAsync(page, "the refused subsidy form", $"{name}-4-subsidy-refused");
        await page.FillAsync("input[name='Input.CapYuan']", "300");
        await page.SelectOptionAsync("select[name='Input.CategoryId']", "3");
        await page.Locator("form.subsidy-form button[type='submit']").ClickAsync();
        await page.WaitForURLAsync("**/Admin/Subsidies");
        var row = page.Locator("tr.subsidy-row", new() { HasText = programme });
        (await row.Locator(".subsidy-spent").InnerTextAsync()).Should().Be("¥0.00 / ¥300.00");
        (await row.Locator(".subsidy-status").InnerTextAsync()).Should().Be("Running");
        await CheckAsync(page, "the subsidy programmes", $"{name}-5-subsidies");

        await using var db = app.NewDb();
        (await db.SubsidyProgrammes.SingleAsync(p => p.Name == programme)).BonusBp.Should().Be(1_500);
    }
}
