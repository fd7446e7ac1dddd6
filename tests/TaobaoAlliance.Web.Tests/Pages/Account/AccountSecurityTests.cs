using System.Net;
using Microsoft.EntityFrameworkCore;

namespace TaobaoAlliance.Web.Tests.Pages.Account;

/// <summary>Changing the password (with the current one) and the email (through a link to the new address).</summary>
public sealed class AccountSecurityTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task Changing_the_password_needs_the_current_one_and_the_old_one_stops_working()
    {
        using var me = await app.NewWebmasterAsync();
        var email = me.Browser.Email!;

        using var wrong = await me.Browser.SubmitAsync("/Account/ChangePassword", "/Account/ChangePassword", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = "Not!thepass1", ["Input.NewPassword"] = "Brand!newpass2", ["Input.ConfirmPassword"] = "Brand!newpass2",
        });
        PageText.FormErrors(await wrong.Content.ReadAsStringAsync()).Should().Be("The current password is not right.");

        using var right = await me.Browser.SubmitAsync("/Account/ChangePassword", "/Account/ChangePassword", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = SignedIn.WebmasterPassword, ["Input.NewPassword"] = "Brand!newpass2", ["Input.ConfirmPassword"] = "Brand!newpass2",
        });

        right.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await me.Browser.GetAsync("/Webmaster")).StatusCode.Should().Be(HttpStatusCode.OK, "this session stays signed in");
        using var other = new BrowserSession(app);
        await other.SignInAsync(email, "Brand!newpass2");
        var act = () => new BrowserSession(app).SignInAsync(email, SignedIn.WebmasterPassword);
        await act.Should().ThrowAsync<InvalidOperationException>();
        await using var db = app.NewDb();
        (await db.OutboxEmails.CountAsync(e => e.To == email && e.Subject.Contains("password was changed"))).Should().Be(1);
    }

    [Fact]
    public async Task Changing_the_email_takes_effect_only_through_the_link_sent_to_the_new_address()
    {
        using var me = await app.NewWebmasterAsync();
        var old = me.Browser.Email!;
        var next = $"moved-{Guid.NewGuid():N}@test.local";

        using var sent = await me.Browser.SubmitAsync("/Account/ChangeEmail", "/Account/ChangeEmail", new Dictionary<string, string>
        {
            ["Input.NewEmail"] = next, ["Input.CurrentPassword"] = SignedIn.WebmasterPassword,
        });
        (await sent.Content.ReadAsStringAsync()).Should().Contain("id=\"email-change-sent\"");
        await using (var db = app.NewDb())
        {
            (await db.Users.SingleAsync(u => u.Id == me.UserId)).Email.Should().Be(old, "nothing changes before the link is opened");
            (await db.OutboxEmails.CountAsync(e => e.To == old && e.Subject.Contains("change of your"))).Should().Be(1, "the old address is told");
        }

        await me.Browser.ConfirmEmailAsync(next);

        await using (var db = app.NewDb())
        {
            var user = await db.Users.SingleAsync(u => u.Id == me.UserId);
            (user.Email, user.UserName, user.EmailConfirmed).Should().Be((next, next, true));
        }
        using var again = new BrowserSession(app);
        await again.SignInAsync(next, SignedIn.WebmasterPassword);
    }
}
