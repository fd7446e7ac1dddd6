using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Accounts;
using TaobaoAlliance.Data.Identity;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;

namespace TaobaoAlliance.Web.Tests.Areas.Admin;

/// <summary>An admin invites another admin: a one-time emailed link (only its hash kept), 72 hours, audited; admins only.</summary>
public sealed class AdminInviteTests(AdminApp app) : IClassFixture<AdminApp>
{
    private const string NewPassword = "NewAdmin!pass1";

    private static string NewEmail() => $"invitee-{Guid.NewGuid():N}@example.test";

    private static async Task InviteAsync(BrowserSession admin, string email)
    {
        using var response = await admin.SubmitAsync("/Admin/Accounts", f => f.Action.Contains("handler=Invite", StringComparison.Ordinal),
            new Dictionary<string, string> { ["inviteEmail"] = email });
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The link of the newest invitation email to <paramref name="email"/>, read from the outbox as the invitee reads their inbox.</summary>
    private async Task<string> InviteLinkAsync(string email)
    {
        await using var db = app.NewDb();
        var body = await db.OutboxEmails.Where(e => e.To == email && e.HtmlBody.Contains("/Account/AcceptInvite"))
            .OrderByDescending(e => e.Id).Select(e => e.HtmlBody).FirstAsync();
        return new Uri(WebUtility.HtmlDecode(Regex.Match(body, "href=\"([^\"]+)\"").Groups[1].Value)).PathAndQuery;
    }

    private static string TokenOf(string link) => Regex.Match(link, "token=([0-9a-f]+)").Groups[1].Value;

    private static Task<HttpResponseMessage> CreateAsync(BrowserSession browser, string link) =>
        browser.SubmitAsync(link, f => f.Action.Contains("handler=Create", StringComparison.Ordinal), new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "New Admin", ["Input.Password"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword,
        });

    [Fact]
    public async Task An_invited_admin_sets_a_password_and_must_set_up_two_factor_before_the_admin_area()
    {
        var email = NewEmail();
        using var admin = await AdminAsync(app);

        await InviteAsync(admin, email);

        var link = await InviteLinkAsync(email);
        var token = TokenOf(link);
        token.Should().HaveLength(64);
        await using (var db = app.NewDb())
        {
            var invite = await db.AdminInvites.AsNoTracking().SingleAsync(i => i.Email == email);
            invite.TokenHash.Should().Be(AdminInvites.Hash(token)).And.NotBe(token, "only the hash is stored");
            invite.ExpiresAt.Should().Be(app.Clock.GetUtcNow().AddHours(72));
        }
        using var invitee = new BrowserSession(app);
        (await invitee.PageAsync(link)).Should().Contain("id=\"invite-new\"");

        using var created = await CreateAsync(invitee, link);

        created.StatusCode.Should().Be(HttpStatusCode.Redirect);
        created.Headers.Location!.OriginalString.Should().StartWith("/Account/TwoFactor");
        using (var adminArea = await invitee.GetAsync("/Admin"))
        {
            adminArea.StatusCode.Should().Be(HttpStatusCode.Redirect, "an admin sets up two-factor sign-in before the admin area");
            adminArea.Headers.Location!.OriginalString.Should().StartWith("/Account/TwoFactor");
        }
        await invitee.EnrollTwoFactorAsync();
        (await invitee.GetAsync("/Admin")).StatusCode.Should().Be(HttpStatusCode.OK);
        await using (var db = app.NewDb())
        {
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Email == email);
            user.EmailConfirmed.Should().BeTrue();
            user.DisplayName.Should().Be("New Admin");
            var adminRole = await db.Roles.Where(r => r.Name == Roles.Admin).Select(r => r.Id).SingleAsync();
            (await db.UserRoles.AnyAsync(r => r.UserId == user.Id && r.RoleId == adminRole)).Should().BeTrue();
            var invite = await db.AdminInvites.AsNoTracking().SingleAsync(i => i.Email == email);
            invite.AcceptedUserId.Should().Be(user.Id);
            var inviteId = invite.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            (await db.AuditLog.AsNoTracking().Where(a => a.EntityType == "admin_invite" && a.EntityId == inviteId).Select(a => a.Action).ToListAsync())
                .Should().Equal("admin.invite", "admin.invite.accept");
        }

        using var again = new BrowserSession(app);
        var used = await again.PageAsync(link);
        used.Should().Contain("id=\"invite-not-valid\"");
        Text(used).Should().Contain("This invitation has already been used.");
        using var reused = await again.PostAsync(link.Replace("?", "?handler=Create&", StringComparison.Ordinal), new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Intruder", ["Input.Password"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword,
        }, tokenPage: "/Account/SignIn");
        reused.StatusCode.Should().Be(HttpStatusCode.OK);
        await using (var db = app.NewDb()) (await db.Users.CountAsync(u => u.DisplayName == "Intruder")).Should().Be(0);
    }

    [Fact]
    public async Task An_expired_or_wrong_link_says_so_and_makes_no_account()
    {
        var email = NewEmail();
        using var admin = await AdminAsync(app);
        await InviteAsync(admin, email);
        var link = await InviteLinkAsync(email);
        using var invitee = new BrowserSession(app);

        var wrong = await invitee.PageAsync("/Account/AcceptInvite?token=" + new string('0', 64));
        Text(wrong).Should().Contain("This invitation link is not valid.");

        app.Clock.Advance(TimeSpan.FromHours(72));
        var expired = await invitee.PageAsync(link);
        Text(expired).Should().Contain("This invitation has expired.");
        using var post = await invitee.PostAsync(link.Replace("?", "?handler=Create&", StringComparison.Ordinal), new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Late", ["Input.Password"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword,
        }, tokenPage: "/Account/SignIn");
        post.StatusCode.Should().Be(HttpStatusCode.OK);
        await using var db = app.NewDb();
        (await db.Users.CountAsync(u => u.Email == email)).Should().Be(0);
    }

    [Fact]
    public async Task An_address_with_an_account_signs_in_and_accepts()
    {
        var email = NewEmail();
        using var buyer = new BrowserSession(app);
        await buyer.SignUpAsync(email, "Shopper!pass1");
        using var admin = await AdminAsync(app);
        await InviteAsync(admin, email);
        var link = await InviteLinkAsync(email);

        using (var anonymous = new BrowserSession(app)) (await anonymous.PageAsync(link)).Should().Contain("id=\"invite-sign-in\"");
        (await buyer.PageAsync(link)).Should().Contain("id=\"invite-accept\"");
        using var accepted = await buyer.SubmitAsync(link, f => f.Action.Contains("handler=Accept", StringComparison.Ordinal));

        accepted.StatusCode.Should().Be(HttpStatusCode.Redirect);
        accepted.Headers.Location!.OriginalString.Should().StartWith("/Account/TwoFactor");
        await buyer.EnrollTwoFactorAsync();
        (await buyer.GetAsync("/Admin")).StatusCode.Should().Be(HttpStatusCode.OK, "the role is in the session's new cookie");
    }

    [Fact]
    public async Task Only_admins_can_invite()
    {
        using var webmaster = await app.NewWebmasterAsync();
        var email = NewEmail();

        using var response = await webmaster.Browser.PostAsync("/Admin/Accounts?handler=Invite", new Dictionary<string, string> { ["inviteEmail"] = email },
            tokenPage: "/Account/Profile");

        response.StatusCode.Should().NotBe(HttpStatusCode.OK);
        response.Headers.Location?.OriginalString.Should().Contain("/Account/AccessDenied");
        await using var db = app.NewDb();
        (await db.AdminInvites.CountAsync(i => i.Email == email)).Should().Be(0);
        (await db.OutboxEmails.CountAsync(e => e.To == email)).Should().Be(0);
    }

    [Fact]
    public async Task A_bad_address_or_an_existing_admin_is_refused_with_a_message()
    {
        using var admin = await AdminAsync(app);

        using var bad = await admin.SubmitAsync("/Admin/Accounts", f => f.Action.Contains("handler=Invite", StringComparison.Ordinal),
            new Dictionary<string, string> { ["inviteEmail"] = "not an address" });
        using var existing = await admin.SubmitAsync("/Admin/Accounts", f => f.Action.Contains("handler=Invite", StringComparison.Ordinal),
            new Dictionary<string, string> { ["inviteEmail"] = AdminEmail });

        FormErrors(await bad.Content.ReadAsStringAsync()).Should().Contain("Enter a valid email address.");
        FormErrors(await existing.Content.ReadAsStringAsync()).Should().Contain("is already an admin.");
        await using var db = app.NewDb();
        (await db.AdminInvites.CountAsync(i => i.Email == AdminEmail || i.Email == "not an address")).Should().Be(0);
    }
}
