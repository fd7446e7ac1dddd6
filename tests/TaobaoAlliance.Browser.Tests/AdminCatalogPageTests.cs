using System.Text.Json;
using Microsoft.Playwright;
using TaobaoAlliance.Browser.Tests.Infrastructure;

namespace TaobaoAlliance.Browser.Tests;

/// <summary>
/// The admin's catalog pages of issue 14 (categories, items, one item with its delisting form, its refused form, and the
/// seller's list showing the platform's reason) in a real browser at desktop and phone width: nothing critical, serious or
/// moderate by axe, and no sideways scrolling of the page itself.
/// </summary>
public sealed class AdminCatalogPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string SidewaysOverflow = "() => document.documentElement.scrollWidth <= window.innerWidth + 1";

    private static async Task<List<string>> ViolationsAsync(IPage page)
    {
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                .filter(v => ['critical', 'serious', 'moderate'].includes(v.impact))
                .map(v => `${v.id} (${v.impact}): ${v.help} ×${v.nodes.length}`)
            """);
        return [.. json.EnumerateArray().Select(v => v.GetString()!)];
    }

    private static async Task CheckAsync(IPage page, string what, string shot)
    {
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotFolder, $"admin-catalog-{shot}.png"), FullPage = true });
        (await ViolationsAsync(page)).Should().BeEmpty($"{what} must have no critical, serious or moderate accessibility violations");
        (await page.EvaluateAsync<bool>(SidewaysOverflow)).Should().BeTrue($"{what} must fit the screen");
    }

    [Theory]
    [InlineData(1280, "desktop")]
    [InlineData(390, "phone")]
    public async Task The_admin_catalog_pages_have_no_accessibility_violations_and_fit_the_screen(int width, string name)
    {
        var page = await app.NewPageAsync(width: width, height: 844);
        await Portal.SignInAsync(page, "admin@taobaoalliance.local", "Admin!2026demo");

        foreach (var (path, shot) in new[] { ("/Admin/Categories", "categories"), ("/Admin/Categories/Edit/3", "category-edit"), ("/Admin/Items", "items") })
        {
            (await page.GotoAsync(path))!.Status.Should().Be(200, path);
            await CheckAsync(page, path, $"{name}-{shot}");
        }

        // A refused category: the form comes back with its messages.
        await page.GotoAsync("/Admin/Categories");
        await page.Locator("form.category-create button[type='submit']").ClickAsync();
        await page.WaitForLoadStateAsync();
        (await page.Locator(".field-validation-error").CountAsync()).Should().BeGreaterThan(0);
        await CheckAsync(page, "the refused category form", $"{name}-category-refused");

        // One item: the delisting form, refused without a reason, then delisted with one.
        await page.GotoAsync("/Admin/Items/14");
        await CheckAsync(page, "an item's page", $"{name}-item");
        await page.Locator("form.delist-form button[type='submit']").ClickAsync();
        await page.WaitForLoadStateAsync();
        (await page.Locator("#reason-error").InnerTextAsync()).Should().Contain("Choose the reason");
        await CheckAsync(page, "the refused delisting", $"{name}-item-refused");
        await page.CheckAsync("#reason-Misleading");
        await page.FillAsync("textarea[name='Input.Note']", "The photos show another model.");
        await page.Locator("form.delist-form button[type='submit']").ClickAsync();
        await page.WaitForLoadStateAsync();
        (await page.Locator(".item-message").InnerTextAsync()).Should().Contain("is delisted");
        await CheckAsync(page, "a delisted item's page", $"{name}-item-delisted");
        await page.GotoAsync("/Admin/Items?show=Delisted");
        await CheckAsync(page, "the delisted items", $"{name}-items-delisted");

        // Relisted, so the other width starts from the same state.
        await page.GotoAsync("/Admin/Items/14");
        await page.Locator("form.relist-form button[type='submit']").ClickAsync();
        await page.WaitForLoadStateAsync();
        (await page.Locator(".item-message").InnerTextAsync()).Should().Contain("relisted");
    }
}
