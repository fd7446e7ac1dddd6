using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace TaobaoAlliance.Web.Tests.Pages.Account;

/// <summary>"Download my data": a JSON file of the signed-in user's own rows, and none of anyone else's, and no secrets.</summary>
public sealed class MyDataTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task My_data_holds_my_own_rows_and_none_of_another_users_and_no_secrets()
    {
        var mine = "Mine " + Guid.NewGuid().ToString("N")[..8];
        var theirs = "Theirs " + Guid.NewGuid().ToString("N")[..8];
        using var me = await app.NewSignedInWebmasterAsync(mine);
        using var other = await app.NewSignedInWebmasterAsync(theirs);
        await me.SetPayoutMethodAsync(account: "13800138000", holderName: "Li Ming");
        await other.SetPayoutMethodAsync(account: "13900139000", holderName: "Wang Fang");
        var world = new MoneyWorld(app);
        var (clicked, _, _) = await world.ItemsAsync();
        var myOrder = MoneyWorld.NewOrderId();
        var theirOrder = MoneyWorld.NewOrderId();
        foreach (var (who, order) in new[] { (me.Webmaster, myOrder), (other.Webmaster, theirOrder) })
        {
            var visitor = Guid.NewGuid();
            await world.ClickAsync(who, visitor, clicked.Id, world.Now.AddHours(-1));
            await world.ProcessAsync(MoneyWorld.Paid(clicked.ShopId, order, world.Now, visitor, MoneyWorld.Line(clicked.Id, 1, clicked.PriceFen)));
        }

        using var response = await me.Browser.GetAsync("/Account/Profile?handler=MyData");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        response.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        response.Content.Headers.ContentDisposition.FileNameStar.Should().MatchRegex("^alliance-my-data-[0-9]{8}\\.json$");
        var text = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        root.GetProperty("account").GetProperty("email").GetString().Should().Be(me.Browser.Email);
        root.GetProperty("account").GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("Webmaster");
        root.GetProperty("account").GetProperty("twoFactorEnabled").GetBoolean().Should().BeTrue();
        var webmaster = root.GetProperty("webmaster");
        webmaster.GetProperty("sites").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Should().Equal(mine);
        webmaster.GetProperty("payoutMethod").GetProperty("maskedAccount").GetString().Should().Be("138****8000");
        webmaster.GetProperty("payoutMethod").GetProperty("holderName").GetString().Should().Be("Li Ming");
        var pending = root.GetProperty("ledger").EnumerateArray().Single(a => a.GetProperty("kind").GetString() == "WebmasterPending");
        pending.GetProperty("balanceFen").GetInt64().Should().BeGreaterThan(0);
        pending.GetProperty("lines").GetArrayLength().Should().Be(1, "my one order's accrual, not theirs");

        text.Should().NotContain(theirs).And.NotContain("Wang Fang").And.NotContain(other.Browser.Email!)
            .And.NotContain("13800138000", "the payout account appears only masked");
        await using var db = app.NewDb();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == me.UserId);
        var secrets = await db.UserTokens.AsNoTracking().Where(t => t.UserId == me.UserId).Select(t => t.Value).ToListAsync();
        var protectedAccount = await db.PayoutMethods.Where(m => m.WebmasterId == me.WebmasterId).Select(m => m.ProtectedAccount).SingleAsync();
        secrets.Should().NotBeEmpty();
        foreach (var secret in secrets.Append(user.PasswordHash!).Append(user.SecurityStamp!).Append(me.Browser.AuthenticatorKey!).Append(protectedAccount))
        {
            foreach (var part in secret!.Split(';', StringSplitOptions.RemoveEmptyEntries)) text.Should().NotContain(part);
        }
        text.Should().NotContainAny("passwordHash", "securityStamp", "authenticator", "recoveryCode", "protectedAccount", "apiKeyHash");
    }

    [Fact]
    public async Task Signed_out_nobody_gets_a_file()
    {
        using var anonymous = new BrowserSession(app);

        using var response = await anonymous.GetAsync("/Account/Profile?handler=MyData");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Contain("/Account/SignIn");
    }
}
