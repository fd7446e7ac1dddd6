using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Web.Tests.Pages.Home;

/// <summary>Issue 15: the home page says what the alliance is for each audience; sign-up lands each role in its centre with its first steps.</summary>
public sealed class WelcomeTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const string Password = "Welcome!pass1";

    [Fact]
    public async Task The_home_page_speaks_to_webmasters_sellers_and_shoppers_above_the_storefront()
    {
        using var browser = new BrowserSession(app);

        var html = await browser.PageAsync("/");

        var text = Text(html);
        text.Should().Contain("Webmasters: earn").And.Contain("Sellers: advertise").And.Contain("Shoppers: buy");
        html.Should().Contain("href=\"/Account/SignUp?as=Webmaster\"").And.Contain("href=\"/Account/SignUp?as=Seller\"");
        html.IndexOf("id=\"welcome\"", StringComparison.Ordinal).Should().BeLessThan(html.IndexOf("id=\"storefront\"", StringComparison.Ordinal));
        html.IndexOf("id=\"storefront\"", StringComparison.Ordinal).Should().BeLessThan(html.IndexOf("item-card", StringComparison.Ordinal),
            "the storefront grid is still there, below the welcome");
        Regex.Matches(html, "<h1[ >]").Should().HaveCount(1);
    }

    [Fact]
    public async Task The_welcome_is_in_Chinese_for_a_Chinese_browser()
    {
        using var browser = new BrowserSession(app, acceptLanguage: "zh-CN");

        var text = Text(await browser.PageAsync("/"));

        text.Should().Contain("站长：赚佣金").And.Contain("商家：做推广").And.Contain("买家：购物").And.Contain("发现好物");
    }

    [Fact]
    public async Task A_search_shows_results_without_the_welcome()
    {
        using var browser = new BrowserSession(app);

        var html = await browser.PageAsync("/?q=" + Uri.EscapeDataString("耳机"));

        html.Should().NotContain("id=\"welcome\"");
        Regex.Matches(html, "<h1[ >]").Should().HaveCount(1, "the storefront heading is the page's heading then");
    }

    [Theory]
    [InlineData("Webmaster", "/", "/Webmaster")]
    [InlineData("Seller", "/", "/Seller")]
    [InlineData("Seller", "/item/14", "/Seller")]
    [InlineData("Webmaster", "/Webmaster/Library", "/Webmaster/Library")]
    [InlineData("Buyer", "/item/14", "/item/14")]
    public async Task Sign_up_lands_each_role_in_its_centre(string accountType, string returnUrl, string landing)
    {
        using var browser = new BrowserSession(app);
        var email = $"welcome-{Guid.NewGuid():N}@example.test";
        var page = "/Account/SignUp?ReturnUrl=" + Uri.EscapeDataString(returnUrl);

        using (var response = await browser.SubmitAsync(page, "/Account/SignUp", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.DisplayName"] = "New " + accountType,
            ["Input.Password"] = Password, ["Input.ConfirmPassword"] = Password, ["Input.AccountType"] = accountType,
        }))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK, "sign-up asks to confirm the email address first");
        }

        // The confirmation page's sign-in button carries the landing; signing in there lands in the centre.
        var confirmed = await browser.PageAsync(await browser.ConfirmationLinkAsync(email));
        var signIn = WebUtility.HtmlDecode(Regex.Match(confirmed, "<a class=\"btn btn-alliance\" href=\"([^\"]+)\"").Groups[1].Value);
        signIn.Should().StartWith("/Account/SignIn");
        using var signedIn = await browser.SubmitAsync(signIn, "/Account/SignIn", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = Password,
        });
        signedIn.StatusCode.Should().Be(HttpStatusCode.Redirect);
        signedIn.Headers.Location!.OriginalString.Should().Be(landing);
    }

    [Theory]
    [InlineData("Webmaster")]
    [InlineData("Seller")]
    public async Task The_home_page_buttons_open_sign_up_with_the_account_type_chosen(string accountType)
    {
        using var browser = new BrowserSession(app);

        var html = await browser.PageAsync("/Account/SignUp?as=" + accountType);

        Regex.IsMatch(html, $"<input[^>]*value=\"{accountType}\"[^>]*checked=\"checked\"").Should().BeTrue();
        Regex.IsMatch(html, "<input[^>]*value=\"Buyer\"[^>]*checked=\"checked\"").Should().BeFalse();
    }

    [Fact]
    public async Task A_new_webmaster_sees_each_first_step_ticked_as_it_really_happens()
    {
        using var signedIn = await app.NewWebmasterAsync();
        var browser = signedIn.Browser;
        var webmasterId = signedIn.Webmaster.Id;

        var html = await browser.PageAsync("/Webmaster");
        html.Should().Contain("id=\"first-steps\"").And.Contain("0 of 6 done");
        Regex.IsMatch(html, "<a[^>]*href=\"/Webmaster/Sites\"[^>]*id=\"step-register-site\"").Should().BeTrue();

        var site = await app.AddSiteAsync(new SiteSpec(webmasterId, SiteState.Pending, Zones: ["Sidebar"], Verified: false));
        Steps(await browser.PageAsync("/Webmaster")).Should().Equal(true, false, false, false, false, false);

        await using (var db = app.NewDb())
        {
            await db.Sites.Where(s => s.Id == site.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.VerifiedAt, app.Clock.GetUtcNow()));
        }
        Steps(await browser.PageAsync("/Webmaster")).Should().Equal(true, true, false, false, false, false);

        await using (var db = app.NewDb())
        {
            await db.Sites.Where(s => s.Id == site.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.State, SiteState.Approved));
            db.Links.Add(new Link { Code = "wl" + Guid.NewGuid().ToString("N")[..8], WebmasterId = webmasterId, SiteId = site.Id, ZoneId = site.ZoneIds[0], ItemId = 14, CreatedAt = app.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        Steps(await browser.PageAsync("/Webmaster")).Should().Equal(true, true, true, true, false, false);

        var world = new MoneyWorld(app);
        var me = signedIn.Webmaster with { SiteId = site.Id, ZoneId = site.ZoneIds[0] };
        await world.ClickAsync(me, Guid.NewGuid(), 14, app.Clock.GetUtcNow(), valid: false);
        Steps(await browser.PageAsync("/Webmaster")).Should().Equal([true, true, true, true, false, false], "an invalid click is no first click");
        await world.ClickAsync(me, Guid.NewGuid(), 14, app.Clock.GetUtcNow());
        var last = await browser.PageAsync("/Webmaster");
        Steps(last).Should().Equal(true, true, true, true, true, false);
        last.Should().Contain("5 of 6 done");
    }

    [Fact]
    public async Task A_new_seller_starts_with_four_steps_to_do_and_a_funded_demo_seller_sees_none()
    {
        using var browser = new BrowserSession(app);
        await browser.SignUpAsync($"seller-{Guid.NewGuid():N}@example.test", Password, accountType: "Seller");

        var html = await browser.PageAsync("/Seller");

        Steps(html).Should().Equal(false, false, false, false);
        Regex.IsMatch(html, "<a[^>]*href=\"/Seller/Wallet\"[^>]*id=\"step-fund-wallet\"[^>]*>Add money to your wallet</a>").Should().BeTrue();
        using var demo = await app.DemoSellerAsync(1);
        (await demo.PageAsync("/Seller")).Should().NotContain("id=\"first-steps\"", "seller1 has a shop, items, rates and a deposit");
    }

    private static List<bool> Steps(string html) =>
        Regex.Matches(html, "data-step=\"[a-z-]+\" data-done=\"(true|false)\"").Select(m => m.Groups[1].Value == "true").ToList();
}
