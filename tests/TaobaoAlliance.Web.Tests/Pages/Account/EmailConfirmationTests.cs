using System.Net;

namespace TaobaoAlliance.Web.Tests.Pages.Account;

/// <summary>New accounts confirm their address through the emailed link before they can sign in.</summary>
public sealed class EmailConfirmationTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task A_new_account_signs_in_only_after_the_link_in_its_email_confirms_the_address()
    {
        var email = $"new-{Guid.NewGuid():N}@test.local";
        using var browser = new BrowserSession(app);
        using (var signUp = await browser.SubmitAsync("/Account/SignUp", "/Account/SignUp", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.DisplayName"] = "New", ["Input.Password"] = "Newbie!pass1", ["Input.ConfirmPassword"] = "Newbie!pass1",
            ["Input.AccountType"] = "Webmaster",
        }))
        {
            signUp.StatusCode.Should().Be(HttpStatusCode.OK);
            (await signUp.Content.ReadAsStringAsync()).Should().Contain("We have sent a link to " + email);
        }
        browser.Cookie("alliance_auth").Should().BeNull("nobody is signed in before the address is confirmed");

        using (var early = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "Newbie!pass1" }))
        {
            PageText.FormErrors(await early.Content.ReadAsStringAsync()).Should().Be($"Confirm your email address first: we have sent a new link to {email}.");
            browser.Cookie("alliance_auth").Should().BeNull();
        }
        using (var wrongPassword = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "Guess!pass1" }))
        {
            PageText.FormErrors(await wrongPassword.Content.ReadAsStringAsync()).Should().Be("Wrong email or password.", "without the password nothing tells the account is unconfirmed");
        }

        var link = await browser.ConfirmationLinkAsync(email);
        using (var forged = await browser.GetAsync(link.Replace("code=", "code=AAAA", StringComparison.Ordinal)))
        {
            forged.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }
        await using (var db = app.NewDb()) db.Users.Single(u => u.Email == email).EmailConfirmed.Should().BeFalse();

        (await browser.PageAsync(link)).Should().Contain("id=\"email-confirmed\"");

        await using (var db = app.NewDb()) db.Users.Single(u => u.Email == email).EmailConfirmed.Should().BeTrue();
        await browser.SignInAsync(email, "Newbie!pass1");
        (await browser.GetAsync("/Webmaster")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
