using System.Net;

namespace TaobaoAlliance.Web.Tests.Hosting;

/// <summary>Bad input answers 400, 404 or a form message — never 500 — and never redirects off the site.</summary>
public sealed class BadInputTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Theory]
    [InlineData("/?q=%00")]
    [InlineData("/?q=phone%00case")]
    [InlineData("/item/14?x=%00")]
    [InlineData("/api/v1/me/balance?x=%00")]
    public async Task A_NUL_character_in_the_query_is_400(string url)
    {
        using var browser = new BrowserSession(app);

        using var response = await browser.GetAsync(url);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_NUL_character_in_a_form_value_is_400()
    {
        using var browser = new BrowserSession(app);

        using var response = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", new Dictionary<string, string>
        {
            ["Input.Email"] = "buyer\0@taobaoalliance.local", ["Input.Password"] = "Buyer!demo1",
        });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        browser.Cookie("alliance_auth").Should().BeNull();
    }

    [Fact]
    public async Task The_click_path_still_redirects_with_a_NUL_in_the_query()
    {
        using var browser = new BrowserSession(app);

        using var response = await browser.GetAsync("/c/gF7kQ2xA?utm=%00");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_check_box_that_is_not_a_boolean_is_a_form_message()
    {
        using var browser = new BrowserSession(app);

        using var response = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", new Dictionary<string, string>
        {
            ["Input.Email"] = "buyer@taobaoalliance.local", ["Input.Password"] = "Buyer!demo1", ["Input.RememberMe"] = ";env;",
        });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("is not valid for Remember me");
        browser.Cookie("alliance_auth").Should().BeNull("a form with an error signs no one in");
    }

    [Fact]
    public async Task An_unknown_page_handler_is_404()
    {
        using var browser = new BrowserSession(app);

        using var post = await browser.PostAsync("/Account/SignIn?handler=nope",
            [new("Input.Email", "buyer@taobaoalliance.local"), new("Input.Password", "Buyer!demo1")], tokenPage: "/Account/SignIn");
        using var get = await browser.GetAsync("/Account/SignIn?handler=nope");

        post.StatusCode.Should().Be(HttpStatusCode.NotFound);
        get.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/\t/evil.example")] // returnUrl=/%09/evil.example as the form sends it
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    public async Task Switching_language_never_redirects_off_the_site(string returnUrl)
    {
        using var browser = new BrowserSession(app);

        using var response = await browser.PostAsync("/culture", [new("culture", "zh-Hans"), new("returnUrl", returnUrl)]);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/");
    }

    [Fact]
    public async Task Switching_language_goes_back_to_a_local_page()
    {
        using var browser = new BrowserSession(app);

        using var response = await browser.PostAsync("/culture", [new("culture", "zh-Hans"), new("returnUrl", "/item/14?x=1")]);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/item/14?x=1");
    }
}
