using System.Net;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Tests.Pages.Account;
using TaobaoAlliance.Web.Tests.Pages.Store;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;

namespace TaobaoAlliance.Web.Tests.Areas.Admin;

/// <summary>The accounts list, and disabling an account: no sign-in, no session, an audit row.</summary>
public sealed class AccountAdminTests(AdminApp app) : IClassFixture<AdminApp>
{
    private const string Password = "Shopper!pass1";

    private static string NewEmail() => $"acct-{Guid.NewGuid():N}@example.test";

    private async Task<AllianceUser> UserAsync(string email)
    {
        await using var db = app.NewDb();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Email == email);
    }

    private static async Task<HttpResponseMessage> DisableAsync(BrowserSession admin, AllianceUser user, string reason) =>
        await admin.SubmitAsync($"/Admin/Accounts?q={Uri.EscapeDataString(user.Email!)}", Form("Disable", "userId", user.Id),
            new Dictionary<string, string> { ["reason"] = reason });

    [Fact]
    public async Task The_list_shows_accounts_with_roles_and_finds_them_by_email_or_name()
    {
        using var admin = await AdminAsync(app);

        var byEmail = await admin.PageAsync("/Admin/Accounts?q=webmaster1%40taobaoalliance");
        var byName = await admin.PageAsync("/Admin/Accounts?q=" + Uri.EscapeDataString("王芳"));
        var sellers = await admin.PageAsync("/Admin/Accounts?role=Seller");

        byEmail.Should().Contain("李明 Li Ming").And.Contain("webmaster1@taobaoalliance.local").And.Contain(">Webmaster<")
            .And.NotContain("webmaster2@taobaoalliance.local");
        byName.Should().Contain("webmaster2@taobaoalliance.local").And.NotContain("webmaster1@taobaoalliance.local");
        sellers.Should().Contain("seller1@taobaoalliance.local").And.Contain("seller2@taobaoalliance.local").And.NotContain("buyer@taobaoalliance.local");
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in_and_its_open_session_ends()
    {
        var email = NewEmail();
        using var user = new BrowserSession(app);
        await user.SignUpAsync(email, Password);
        (await user.GetAsync("/orders")).StatusCode.Should().Be(HttpStatusCode.OK);
        var before = await UserAsync(email);
        using var admin = await AdminAsync(app);

        using var response = await admin.SubmitAsync($"/Admin/Accounts?q={Uri.EscapeDataString(email)}", Form("Disable", "userId", before.Id),
            new Dictionary<string, string> { ["reason"] = "Chargeback fraud" });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var after = await UserAsync(email);
        after.DisabledAt.Should().Be(app.Clock.GetUtcNow());
        after.LockoutEnd.Should().BeAfter(app.Clock.GetUtcNow().AddYears(100));
        after.SecurityStamp.Should().NotBe(before.SecurityStamp);
        (await AuditAsync(app, "user", before.Id)).Should().ContainSingle(a => a.Action == "account.disable" && a.Details!.Contains("Chargeback fraud"));

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        using var session = await user.GetAsync("/orders");
        session.StatusCode.Should().Be(HttpStatusCode.Redirect, "the browser that was signed in is signed out");
        session.Headers.Location!.PathAndQuery().Should().StartWith("/Account/SignIn");

        using var fresh = new BrowserSession(app);
        using var signIn = await fresh.SubmitAsync("/Account/SignIn", "/Account/SignIn",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = Password });
        signIn.StatusCode.Should().Be(HttpStatusCode.OK, "the sign-in page answers with a message");
        FormErrors(await signIn.Content.ReadAsStringAsync()).Should().NotBeEmpty();
        fresh.Cookie("alliance_auth").Should().BeNull();
    }

    [Fact]
    public async Task An_enabled_account_can_sign_in_again()
    {
        var email = NewEmail();
        using (var signup = new BrowserSession(app)) await signup.SignUpAsync(email, Password);
        var user = await UserAsync(email);
        using var admin = await AdminAsync(app);
        (await DisableAsync(admin, user, "Mistake")).StatusCode.Should().Be(HttpStatusCode.Redirect);

        using var enable = await admin.SubmitAsync($"/Admin/Accounts?q={Uri.EscapeDataString(email)}&status=disabled", Form("Enable", "userId", user.Id));

        enable.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var after = await UserAsync(email);
        (after.DisabledAt, after.LockoutEnd).Should().Be((null, null));
        using var browser = new BrowserSession(app);
        await browser.SignInAsync(email, Password);
        (await AuditAsync(app, "user", user.Id)).Select(a => a.Action).Should().Equal("account.disable", "account.enable");
    }

    [Fact]
    public async Task Disabling_needs_a_reason_and_writes_nothing_without_one()
    {
        var email = NewEmail();
        using (var signup = new BrowserSession(app)) await signup.SignUpAsync(email, Password);
        var user = await UserAsync(email);
        using var admin = await AdminAsync(app);

        using var response = await DisableAsync(admin, user, " ");

        FormErrors(await response.Content.ReadAsStringAsync()).Should().Be("Give a reason for disabling the account.");
        (await UserAsync(email)).Should().BeEquivalentTo(new { DisabledAt = (DateTimeOffset?)null, user.SecurityStamp });
        (await AuditAsync(app, "user", user.Id)).Should().BeEmpty();
    }

    [Fact]
    public async Task An_admin_cannot_disable_their_own_account()
    {
        var adminId = await AdminUserIdAsync(app);
        using var admin = await AdminAsync(app);
        (await admin.PageAsync("/Admin/Accounts?q=admin%40taobaoalliance")).Should().Contain("This is you").And.NotContain("handler=Disable");

        using var response = await admin.PostAsync("/Admin/Accounts?handler=Disable",
            new Dictionary<string, string> { ["userId"] = adminId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["reason"] = "Oops" }, "/Admin/Accounts");

        FormErrors(await response.Content.ReadAsStringAsync()).Should().Be("You cannot disable your own account.");
        (await UserAsync(AdminEmail)).DisabledAt.Should().BeNull();
        (await admin.GetAsync("/Admin/Accounts")).StatusCode.Should().Be(HttpStatusCode.OK, "still signed in");
    }
}
