using System.Net;
using TaobaoAlliance.Web.Tests.Pages.Account;

namespace TaobaoAlliance.Web.Tests.Pages.Store;

/// <summary>The cart and the orders belong to signed-in buyers only.</summary>
public sealed class StoreAccessTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Theory]
    [InlineData("/cart")]
    [InlineData("/orders")]
    public async Task Anonymous_visitors_are_sent_to_sign_in_and_back(string page)
    {
        using var browser = new BrowserSession(app);

        using var response = await browser.GetAsync(page);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery().Should().Be("/Account/SignIn?ReturnUrl=" + Uri.EscapeDataString(page));
    }

    [Theory]
    [InlineData("/cart")]
    [InlineData("/orders")]
    public async Task A_webmaster_is_denied_the_cart_and_the_orders(string page)
    {
        using var browser = new BrowserSession(app);
        await browser.SignInAsync("webmaster1@taobaoalliance.local", "Webmaster1!demo");

        using var response = await browser.GetAsync(page);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery().Should().StartWith("/Account/AccessDenied");
        using var denied = await browser.GetAsync(response.Headers.Location!.PathAndQuery());
        denied.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await denied.Content.ReadAsStringAsync()).Should().Contain("need a buyer account");
    }

    [Fact]
    public async Task A_webmaster_cannot_add_to_a_cart()
    {
        using var browser = new BrowserSession(app);
        await browser.SignInAsync("webmaster1@taobaoalliance.local", "Webmaster1!demo");

        (await browser.PageAsync("/item/14")).Should().NotContain("?handler=AddToCart", "a webmaster sees no cart form");
        using var response = await browser.PostAsync("/item/14?handler=AddToCart", new Dictionary<string, string> { ["Quantity"] = "1" }, "/item/14");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery().Should().StartWith("/Account/AccessDenied");
        await using var db = app.NewDb();
        var webmaster = db.Users.Single(u => u.Email == "webmaster1@taobaoalliance.local");
        db.CartLines.Where(c => c.UserId == webmaster.Id).Should().BeEmpty();
    }

    [Fact]
    public async Task Adding_to_the_cart_anonymously_asks_to_sign_in_and_comes_back_to_the_item()
    {
        using var browser = new BrowserSession(app);

        // The anonymous item page is cached for everyone, so its cart button is a plain GET to sign-in (no token).
        var add = BrowserSession.Forms(await browser.PageAsync("/item/14")).Single(f => f.Action == "/Account/SignIn");
        add.Fields.Should().Equal(new Dictionary<string, string> { ["ReturnUrl"] = "/item/14?add=true" });
        var signIn = "/Account/SignIn?ReturnUrl=" + Uri.EscapeDataString(add.Fields["ReturnUrl"]);
        signIn.Should().Be("/Account/SignIn?ReturnUrl=%2Fitem%2F14%3Fadd%3Dtrue");

        // And the POST handler, for a form still open from before, asks the same.
        using var post = await browser.PostAsync("/item/14?handler=AddToCart", [new("Quantity", "2")]);
        post.StatusCode.Should().Be(HttpStatusCode.Redirect);
        post.Headers.Location!.PathAndQuery().Should().Be(signIn);
        using var back = await browser.SubmitAsync(signIn, "/Account/SignIn", new Dictionary<string, string>
        {
            ["Input.Email"] = "buyer@taobaoalliance.local", ["Input.Password"] = "Buyer!demo1",
        });
        back.StatusCode.Should().Be(HttpStatusCode.Redirect);
        back.Headers.Location!.OriginalString.Should().Be("/item/14?add=true", "back on the item, offered to finish adding it");
    }
}

internal static class UriExtensions
{
    /// <summary>The path and query of a Location header, whether the server wrote it absolute or relative.</summary>
    public static string PathAndQuery(this Uri location) =>
        location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
}
