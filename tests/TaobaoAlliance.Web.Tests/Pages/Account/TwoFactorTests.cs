using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Web.Tests.Pages.Account;

/// <summary>Two-factor sign-in: set up through the real page, codes computed here from the shared key the page shows.</summary>
public sealed class TwoFactorTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const string Password = "Admin!newpass1";

    private async Task<string> NewAdminAsync()
    {
        var email = $"admin-{Guid.NewGuid():N}@test.local";
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AllianceUser>>();
        var user = new AllianceUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "New admin", CreatedAt = app.Clock.GetUtcNow() };
        (await users.CreateAsync(user, Password)).Succeeded.Should().BeTrue();
        (await users.AddToRoleAsync(user, Roles.Admin)).Succeeded.Should().BeTrue();
        return email;
    }

    private static string WrongCode(string key) => Totp.Code(key) == "000000" ? "111111" : "000000";

    [Fact]
    public async Task An_admin_without_two_factor_cannot_open_the_admin_area_and_is_sent_to_set_it_up()
    {
        var email = await NewAdminAsync();
        using var browser = new BrowserSession(app);
        await browser.SignInAsync(email, Password);

        foreach (var page in new[] { "/Admin", "/Admin/Payouts", "/Admin/Payouts?handler=Export" })
        {
            using var response = await browser.GetAsync(page);
            response.StatusCode.Should().Be(HttpStatusCode.Redirect, page);
            response.Headers.Location!.OriginalString.Should().StartWith("/Account/TwoFactor?returnUrl=", page);
        }
        using (var post = await browser.PostAsync("/Admin/Payouts?handler=Approve", new Dictionary<string, string> { ["payoutId"] = "1" }))
        {
            post.Headers.Location!.OriginalString.Should().StartWith("/Account/TwoFactor", "a form post is refused the same way");
        }

        var codes = await browser.EnrollTwoFactorAsync();

        codes.Should().HaveCount(10);
        (await browser.GetAsync("/Admin")).StatusCode.Should().Be(HttpStatusCode.OK);
        using var again = new BrowserSession(app);
        await again.SignInAsync(email, Password, browser.AuthenticatorKey);
        (await again.GetAsync("/Admin/Payouts")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Sign_in_with_two_factors_needs_the_code_computed_from_the_shared_key()
    {
        using var me = await app.NewWebmasterAsync();
        await me.Browser.EnrollTwoFactorAsync();
        var key = me.Browser.AuthenticatorKey!;
        using var browser = new BrowserSession(app);

        using var password = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", new Dictionary<string, string>
        {
            ["Input.Email"] = me.Browser.Email!, ["Input.Password"] = SignedIn.WebmasterPassword,
        });
        password.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var step = password.Headers.Location!.OriginalString;
        step.Should().StartWith("/Account/TwoFactorSignIn");
        browser.Cookie("alliance_auth").Should().BeNull("the password alone signs nobody in");
        (await browser.GetAsync("/Webmaster")).StatusCode.Should().Be(HttpStatusCode.Redirect);

        using var wrong = await browser.SubmitAsync(step, f => f.Fields.ContainsKey("Code"), new Dictionary<string, string> { ["Code"] = WrongCode(key) });
        wrong.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.FormErrors(await wrong.Content.ReadAsStringAsync()).Should().Contain("That code is not right.");
        browser.Cookie("alliance_auth").Should().BeNull();

        using var right = await browser.SubmitAsync(step, f => f.Fields.ContainsKey("Code"), new Dictionary<string, string> { ["Code"] = Totp.Code(key) });

        right.StatusCode.Should().Be(HttpStatusCode.Redirect);
        browser.Cookie("alliance_auth").Should().NotBeNull();
        (await browser.GetAsync("/Webmaster")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        using var me = await app.NewWebmasterAsync();
        var codes = await me.Browser.EnrollTwoFactorAsync();

        async Task<HttpResponseMessage> WithRecoveryCodeAsync(BrowserSession browser, string code)
        {
            using var password = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", new Dictionary<string, string>
            {
                ["Input.Email"] = me.Browser.Email!, ["Input.Password"] = SignedIn.WebmasterPassword,
            });
            return await browser.SubmitAsync(password.Headers.Location!.OriginalString, f => f.Fields.ContainsKey("RecoveryCode"),
                new Dictionary<string, string> { ["RecoveryCode"] = code });
        }

        using var first = new BrowserSession(app);
        using (var used = await WithRecoveryCodeAsync(first, codes[0]))
        {
            used.StatusCode.Should().Be(HttpStatusCode.Redirect);
            first.Cookie("alliance_auth").Should().NotBeNull();
        }

        using var second = new BrowserSession(app);
        using var again = await WithRecoveryCodeAsync(second, codes[0]);

        again.StatusCode.Should().Be(HttpStatusCode.OK);
        second.Cookie("alliance_auth").Should().BeNull("a recovery code works once");
        using var other = await WithRecoveryCodeAsync(second, codes[1]);
        other.StatusCode.Should().Be(HttpStatusCode.Redirect, "the others still work");
    }

    [Fact]
    public async Task The_setup_page_shows_the_key_as_text_and_as_a_qr_code_made_here()
    {
        using var me = await app.NewWebmasterAsync();

        var html = await me.Browser.PageAsync("/Account/TwoFactor");

        html.Should().MatchRegex("<kbd id=\"authenticator-key\" data-key=\"[A-Z2-7]{32}\">([a-z2-7]{4} ){7}[a-z2-7]{4}</kbd>");
        html.Should().Contain("src=\"data:image/png;base64,");
        using var wrong = await me.Browser.SubmitAsync("/Account/TwoFactor", f => f.Action.Contains("handler=Enable", StringComparison.Ordinal),
            new Dictionary<string, string> { ["Code"] = "12345" });
        PageText.FormErrors(await wrong.Content.ReadAsStringAsync()).Should().Contain("That code is not right.");
        await using var db = app.NewDb();
        db.Users.Single(u => u.Email == me.Browser.Email).TwoFactorEnabled.Should().BeFalse();
    }

    private static Task<HttpResponseMessage> TurnOffAsync(BrowserSession browser, string code) =>
        browser.PostAsync("/Account/TwoFactor?handler=Disable", new Dictionary<string, string> { ["Code"] = code }, tokenPage: "/Account/TwoFactor");

    [Fact]
    public async Task A_webmaster_turns_two_factor_off_with_a_current_code()
    {
        using var me = await app.NewWebmasterAsync();
        await me.Browser.EnrollTwoFactorAsync();
        var key = me.Browser.AuthenticatorKey!;
        (await me.Browser.PageAsync("/Account/TwoFactor")).Should().Contain("id=\"twofactor-disable\"");

        using (var wrong = await TurnOffAsync(me.Browser, WrongCode(key)))
        {
            PageText.FormErrors(await wrong.Content.ReadAsStringAsync()).Should().Contain("That code is not right.");
        }
        await using (var db = app.NewDb()) db.Users.Single(u => u.Email == me.Browser.Email).TwoFactorEnabled.Should().BeTrue("a wrong code changes nothing");

        using var right = await TurnOffAsync(me.Browser, Totp.Code(key));

        right.StatusCode.Should().Be(HttpStatusCode.OK);
        (await right.Content.ReadAsStringAsync()).Should().Contain("id=\"twofactor-off\"");
        await using (var db = app.NewDb())
        {
            var user = db.Users.Single(u => u.Email == me.Browser.Email);
            user.TwoFactorEnabled.Should().BeFalse();
            db.AuditLog.Count(a => a.Action == "account.twofactor.disable" && a.ActorUserId == user.Id).Should().Be(1);
        }
        (await me.Browser.GetAsync("/Webmaster")).StatusCode.Should().Be(HttpStatusCode.OK, "this session stays signed in");
        using var browser = new BrowserSession(app);
        using var password = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", new Dictionary<string, string>
        {
            ["Input.Email"] = me.Browser.Email!, ["Input.Password"] = SignedIn.WebmasterPassword,
        });
        password.StatusCode.Should().Be(HttpStatusCode.Redirect);
        password.Headers.Location!.OriginalString.Should().NotStartWith("/Account/TwoFactorSignIn", "the password alone signs in again");
        browser.Cookie("alliance_auth").Should().NotBeNull();
    }

    [Fact]
    public async Task An_admin_cannot_turn_two_factor_off()
    {
        var email = await NewAdminAsync();
        using var browser = new BrowserSession(app);
        await browser.SignInAsync(email, Password);
        await browser.EnrollTwoFactorAsync();
        var page = await browser.PageAsync("/Account/TwoFactor");
        page.Should().NotContain("id=\"twofactor-disable\"").And.Contain("id=\"twofactor-admin-keeps\"");

        using var response = await TurnOffAsync(browser, Totp.Code(browser.AuthenticatorKey!));

        PageText.FormErrors(await response.Content.ReadAsStringAsync()).Should().Contain("Admins must keep two-factor sign-in on");
        await using var db = app.NewDb();
        db.Users.Single(u => u.Email == email).TwoFactorEnabled.Should().BeTrue();
    }
}
