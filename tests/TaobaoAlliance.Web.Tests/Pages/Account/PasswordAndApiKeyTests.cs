using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace TaobaoAlliance.Web.Tests.Pages.Account;

public sealed partial class PasswordAndApiKeyTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task A_forgotten_password_is_reset_through_the_emailed_link()
    {
        var email = $"forgetful-{Guid.NewGuid():N}@test.local";
        using (var signUp = new BrowserSession(app)) await signUp.SignUpAsync(email, "Original!pass1");
        using var session = new BrowserSession(app);

        var sent = await session.SubmitAsync("/Account/ForgotPassword", "/Account/ForgotPassword", new Dictionary<string, string> { ["Input.Email"] = email });
        (await sent.Content.ReadAsStringAsync()).Should().Contain("we have sent it a link");

        await using var db = app.NewDb();
        var mail = await db.OutboxEmails.SingleAsync(m => m.To == email && m.HtmlBody.Contains("ResetPassword"));
        var link = WebUtility.HtmlDecode(ResetLink().Match(mail.HtmlBody).Groups[1].Value);
        link.Should().StartWith("http://localhost/Account/ResetPassword?");
        var resetPage = new Uri(link).PathAndQuery;

        var reset = await session.SubmitAsync(resetPage, resetPage, new Dictionary<string, string>
        {
            ["Input.Password"] = "Brand!newpass2", ["Input.ConfirmPassword"] = "Brand!newpass2",
        });
        (await reset.Content.ReadAsStringAsync()).Should().Contain("Your password has been changed");

        await session.SignInAsync(email, "Brand!newpass2");
        var old = await new BrowserSession(app).SubmitAsync("/Account/SignIn", "/Account/SignIn",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "Original!pass1" });
        (await old.Content.ReadAsStringAsync()).Should().Contain("Wrong email or password");
    }

    [Fact]
    public async Task The_forgotten_password_page_does_not_tell_who_has_an_account()
    {
        using var session = new BrowserSession(app);
        var nobody = $"nobody-{Guid.NewGuid():N}@test.local";

        var response = await session.SubmitAsync("/Account/ForgotPassword", "/Account/ForgotPassword", new Dictionary<string, string> { ["Input.Email"] = nobody });

        (await response.Content.ReadAsStringAsync()).Should().Contain("If an account uses that address");
        await using var db = app.NewDb();
        (await db.OutboxEmails.CountAsync(m => m.To == nobody)).Should().Be(0);
    }

    [Fact]
    public async Task A_forged_reset_code_changes_nothing()
    {
        using var session = new BrowserSession(app);

        var response = await session.SubmitAsync("/Account/ResetPassword?email=buyer%40taobaoalliance.local&code=Zm9yZ2Vk", "/Account/ResetPassword?email=buyer%40taobaoalliance.local&code=Zm9yZ2Vk",
            new Dictionary<string, string> { ["Input.Password"] = "Hacked!pass9", ["Input.ConfirmPassword"] = "Hacked!pass9" });

        (await response.Content.ReadAsStringAsync()).Should().Contain("invalid or has expired");
        await session.SignInAsync("buyer@taobaoalliance.local", "Buyer!demo1");
    }

    [Fact]
    public async Task A_rotated_api_key_is_shown_once_stored_hashed_and_replaces_the_old_one()
    {
        var email = $"tools-{Guid.NewGuid():N}@test.local";
        using var session = new BrowserSession(app);
        await session.SignUpAsync(email, "Webmaster!pass1", accountType: "Webmaster");

        var rotated = await session.SubmitAsync("/Account/Profile", "/Account/Profile?handler=RotateKey");
        var firstKey = NewKey().Match(await rotated.Content.ReadAsStringAsync()).Groups[1].Value;
        firstKey.Should().StartWith("ta_live_").And.HaveLength(40);
        (await session.PageAsync("/Account/Profile")).Should().NotContain(firstKey, "the key is shown only once");
        await using (var db = app.NewDb())
        {
            var stored = await db.Webmasters.Where(w => w.User.Email == email).Select(w => w.ApiKeyHash).SingleAsync();
            stored.Should().NotBe(firstKey).And.HaveLength(64);
        }
        (await BalanceStatusAsync(firstKey)).Should().Be(HttpStatusCode.OK);

        var again = await session.SubmitAsync("/Account/Profile", "/Account/Profile?handler=RotateKey");
        var secondKey = NewKey().Match(await again.Content.ReadAsStringAsync()).Groups[1].Value;

        secondKey.Should().NotBe(firstKey);
        (await BalanceStatusAsync(firstKey)).Should().Be(HttpStatusCode.Unauthorized);
        (await BalanceStatusAsync(secondKey)).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_buyer_has_no_api_key_to_rotate()
    {
        using var session = new BrowserSession(app);
        await session.SignInAsync("buyer@taobaoalliance.local", "Buyer!demo1");

        var response = await session.PostAsync("/Account/Profile?handler=RotateKey", [], tokenPage: "/Account/Profile");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private async Task<HttpStatusCode> BalanceStatusAsync(string key)
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return (await client.GetAsync("/api/v1/me/balance")).StatusCode;
    }

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex ResetLink();

    [GeneratedRegex("id=\"new-api-key\">([^<]+)<")]
    private static partial Regex NewKey();
}
