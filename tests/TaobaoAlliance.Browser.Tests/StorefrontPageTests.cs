using TaobaoAlliance.Browser.Tests.Infrastructure;

namespace TaobaoAlliance.Browser.Tests;

/// <summary>The storefront in a real browser: it renders, switches language and passes axe at desktop and phone width.</summary>
public sealed class StorefrontPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData(1280, "desktop")]
    [InlineData(390, "phone")]
    public async Task Home_with_its_welcome_and_item_pages_render_and_have_no_serious_accessibility_violations(int width, string name)
    {
        var page = await app.NewPageAsync(width: width);

        await page.GotoAsync("/");
        (await page.Locator("#welcome").IsVisibleAsync()).Should().BeTrue("the home page says what the alliance is first");
        (await page.Locator(".audience-card").CountAsync()).Should().Be(3);
        (await page.Locator("#cta-webmaster").IsVisibleAsync()).Should().BeTrue();
        (await page.Locator(".item-card").CountAsync()).Should().BeGreaterThan(10);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotFolder, $"home-{name}.png"), FullPage = false });
        (await Axe.SeriousViolationsAsync(page)).Should().BeEmpty();

        await page.Locator(".item-card").First.ClickAsync();
        await page.WaitForURLAsync("**/item/**");
        (await page.Locator("h1").InnerTextAsync()).Should().NotBeNullOrWhiteSpace();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotFolder, $"item-{name}.png") });
        (await Axe.SeriousViolationsAsync(page)).Should().BeEmpty();
    }

    [Fact]
    public async Task The_language_switcher_turns_the_storefront_into_Chinese()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/item/14");

        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "简体中文" }).ClickAsync();

        await page.WaitForURLAsync("**/item/14");
        (await page.Locator("html").GetAttributeAsync("lang")).Should().Be("zh-Hans");
        (await page.ContentAsync()).Should().Contain("月销量");
    }
}
