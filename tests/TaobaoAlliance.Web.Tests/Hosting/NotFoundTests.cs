using System.Net;

namespace TaobaoAlliance.Web.Tests.Hosting;

/// <summary>An address the app does not know is a 404 page for everyone; a known protected page still asks anonymous visitors to sign in.</summary>
public sealed class NotFoundTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/Admin/NoSuchPage")]
    [InlineData("/Seller/Shops/1/Nope/Deeper")]
    public async Task An_unknown_address_is_the_not_found_page_for_an_anonymous_visitor(string url)
    {
        using var browser = new BrowserSession(app);

        using var response = await browser.GetAsync(url);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Page not found");
    }

    [Fact]
    public async Task The_not_found_page_is_in_Chinese_for_a_Chinese_browser_and_signed_in_users_get_it_too()
    {
        using var browser = new BrowserSession(app);
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        using var anonymous = await browser.GetAsync("/no-such-page");
        await browser.SignInAsync("webmaster1@taobaoalliance.local", "Webmaster1!demo");
        using var signedIn = await browser.GetAsync("/no-such-page");

        anonymous.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await anonymous.Content.ReadAsStringAsync()).Should().Contain("页面不存在");
        signedIn.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_known_protected_page_still_sends_an_anonymous_visitor_to_sign_in()
    {
        using var browser = new BrowserSession(app);

        using var response = await browser.GetAsync("/Webmaster/Library");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Contain("/Account/SignIn");
    }
}
