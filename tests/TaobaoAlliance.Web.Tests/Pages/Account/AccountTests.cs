using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Tests.Pages.Store;

namespace TaobaoAlliance.Web.Tests.Pages.Account;

/// <summary>Sign-up, sign-in and sign-out through the account pages' forms.</summary>
public sealed class AccountTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const string Password = "Shopper!pass1";

    private static string NewEmail(string who = "user") => $"{who}-{Guid.NewGuid():N}@example.test";

    [Fact]
    public async Task Signing_up_as_a_buyer_and_confirming_the_email_signs_in_with_the_Buyer_role()
    {
        using var browser = new BrowserSession(app);
        var email = NewEmail("buyer");

        using var response = await browser.SubmitAsync("/Account/SignUp", "/Account/SignUp", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.DisplayName"] = "陈静 Chen Jing", ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password, ["Input.AccountType"] = "Buyer",
        });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        browser.Cookie("alliance_auth").Should().BeNull("the address is confirmed first");
        await browser.ConfirmEmailAsync(email);
        await browser.SignInAsync(email, Password);
        (await browser.PageAsync("/")).Should().Contain("陈静 Chen Jing", "the navbar shows the signed-in user's name");
        await using var db = app.NewDb();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        user.DisplayName.Should().Be("陈静 Chen Jing");
        user.CreatedAt.Should().Be(app.Clock.GetUtcNow());
        (await RolesOfAsync(email)).Should().Equal(Roles.Buyer);
        (await db.Webmasters.AnyAsync(w => w.UserId == user.Id)).Should().BeFalse();
        (await db.Sellers.AnyAsync(s => s.UserId == user.Id)).Should().BeFalse();
    }

    [Theory]
    [InlineData("Webmaster")]
    [InlineData("Seller")]
    public async Task Signing_up_as_a_webmaster_or_seller_also_creates_their_row(string accountType)
    {
        using var browser = new BrowserSession(app);
        var email = NewEmail(accountType.ToLowerInvariant());

        await browser.SignUpAsync(email, Password, accountType);

        await using var db = app.NewDb();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        (await RolesOfAsync(email)).Should().Equal(accountType);
        (await db.Webmasters.AnyAsync(w => w.UserId == user.Id)).Should().Be(accountType == Roles.Webmaster);
        (await db.Sellers.AnyAsync(s => s.UserId == user.Id)).Should().Be(accountType == Roles.Seller);
    }

    [Theory]
    [InlineData("Admin")]
    [InlineData("admin")]
    [InlineData("7")]
    public async Task Sign_up_cannot_create_an_Admin(string accountType)
    {
        using var browser = new BrowserSession(app);
        var email = NewEmail("sneaky");

        using var response = await browser.SubmitAsync("/Account/SignUp", "/Account/SignUp", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.DisplayName"] = "Sneaky", ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password, ["Input.AccountType"] = accountType,
        });

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the form comes back with a message");
        (await response.Content.ReadAsStringAsync()).Should().Contain("field-validation-error\" data-valmsg-for=\"Input.AccountType\"");
        browser.Cookie("alliance_auth").Should().BeNull();
        await using var db = app.NewDb();
        (await db.Users.AnyAsync(u => u.Email == email)).Should().BeFalse();
    }

    [Fact]
    public async Task Sign_up_with_passwords_that_differ_writes_nothing()
    {
        using var browser = new BrowserSession(app);
        var email = NewEmail();

        using var response = await browser.SubmitAsync("/Account/SignUp", "/Account/SignUp", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.DisplayName"] = "Typo", ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password + "x", ["Input.AccountType"] = "Buyer",
        });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("The two passwords do not match.");
        await using var db = app.NewDb();
        (await db.Users.AnyAsync(u => u.Email == email)).Should().BeFalse();
    }

    [Fact]
    public async Task Sign_up_with_a_taken_email_says_so_in_Chinese_too()
    {
        using var first = new BrowserSession(app);
        var email = NewEmail();
        await first.SignUpAsync(email, Password);
        using var second = new BrowserSession(app, acceptLanguage: "zh-CN");

        using var response = await second.SubmitAsync("/Account/SignUp", "/Account/SignUp", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.DisplayName"] = "Again", ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password, ["Input.AccountType"] = "Buyer",
        });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("该邮箱已注册账号。");
        await using var db = app.NewDb();
        (await db.Users.CountAsync(u => u.Email == email)).Should().Be(1);
    }

    [Fact]
    public async Task Sign_in_with_the_demo_buyer_goes_home_and_shows_the_name()
    {
        using var browser = new BrowserSession(app);

        using var response = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", new Dictionary<string, string>
        {
            ["Input.Email"] = "buyer@taobaoalliance.local", ["Input.Password"] = "Buyer!demo1",
        });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/");
        (await browser.PageAsync("/")).Should().Contain("张伟 Zhang Wei").And.Contain("/orders");
    }

    [Fact]
    public async Task Sign_in_with_a_wrong_password_fails_with_a_message()
    {
        var email = NewEmail();
        using (var signUp = new BrowserSession(app)) await signUp.SignUpAsync(email, Password);
        using var browser = new BrowserSession(app);

        using var response = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = "Wrong!pass1",
        });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Wrong email or password.");
        browser.Cookie("alliance_auth").Should().BeNull();
    }

    [Fact]
    public async Task Five_wrong_passwords_do_not_lock_the_account()
    {
        // Locking after failures let anyone keep anyone out; guessing is slowed per address and per account instead
        // (RateLimitTests).
        var email = NewEmail();
        using (var signUp = new BrowserSession(app)) await signUp.SignUpAsync(email, Password);
        using var browser = new BrowserSession(app);

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", new Dictionary<string, string>
            {
                ["Input.Email"] = email, ["Input.Password"] = $"Wrong!pass{attempt}",
            });
            wrong.StatusCode.Should().Be(HttpStatusCode.OK);
            (await wrong.Content.ReadAsStringAsync()).Should().Contain("Wrong email or password.");
        }
        using var right = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = Password,
        });

        right.StatusCode.Should().Be(HttpStatusCode.Redirect, "the owner still signs in with the right password");
        browser.Cookie("alliance_auth").Should().NotBeNull();
        await using var db = app.NewDb();
        (await db.Users.SingleAsync(u => u.Email == email)).LockoutEnd.Should().BeNull();
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in()
    {
        var email = NewEmail();
        using (var signUp = new BrowserSession(app)) await signUp.SignUpAsync(email, Password);
        await using (var db = app.NewDb())
        {
            await db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisabledAt, app.Clock.GetUtcNow()));
        }
        using var browser = new BrowserSession(app);

        using var response = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = Password,
        });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("This account has been disabled.");
        browser.Cookie("alliance_auth").Should().BeNull();
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task An_off_site_returnUrl_is_ignored_after_sign_in(string returnUrl)
    {
        var email = NewEmail();
        using (var signUp = new BrowserSession(app)) await signUp.SignUpAsync(email, Password);
        using var browser = new BrowserSession(app);
        var page = "/Account/SignIn?returnUrl=" + Uri.EscapeDataString(returnUrl);

        using var response = await browser.SubmitAsync(page, "/Account/SignIn",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = Password, ["ReturnUrl"] = returnUrl });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/");
    }

    [Fact]
    public async Task A_local_returnUrl_is_followed_after_sign_in()
    {
        var email = NewEmail();
        using (var signUp = new BrowserSession(app)) await signUp.SignUpAsync(email, Password);
        using var browser = new BrowserSession(app);
        var page = "/Account/SignIn?ReturnUrl=%2Forders";

        using var response = await browser.SubmitAsync(page, "/Account/SignIn",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = Password });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/orders");
    }

    [Fact]
    public async Task Signing_out_takes_a_POST()
    {
        using var browser = new BrowserSession(app);
        await browser.SignUpAsync(NewEmail(), Password);

        using (var get = await browser.GetAsync("/Account/SignOut")) get.StatusCode.Should().Be(HttpStatusCode.OK);
        browser.Cookie("alliance_auth").Should().NotBeNull("a GET never signs anyone out");
        (await browser.GetAsync("/cart")).StatusCode.Should().Be(HttpStatusCode.OK);

        using var post = await browser.SubmitAsync("/", "/Account/SignOut");

        post.StatusCode.Should().Be(HttpStatusCode.Redirect);
        browser.Cookie("alliance_auth").Should().BeNull();
        (await browser.GetAsync("/cart")).StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Posting_sign_in_without_the_antiforgery_token_is_refused()
    {
        using var browser = new BrowserSession(app);
        await browser.PageAsync("/Account/SignIn");

        using var response = await browser.PostRawAsync("/Account/SignIn", new Dictionary<string, string>
        {
            ["Input.Email"] = "buyer@taobaoalliance.local", ["Input.Password"] = "Buyer!demo1",
        });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        browser.Cookie("alliance_auth").Should().BeNull();
    }

    private async Task<IList<string>> RolesOfAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AllianceUser>>();
        return await users.GetRolesAsync((await users.FindByEmailAsync(email))!);
    }
}
