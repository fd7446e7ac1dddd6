using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Web.Tests.Pages.Account;

/// <summary>
/// Deleting one's own account through the page: personal data removed, money records kept under the anonymous id,
/// refused (changing nothing) while money is owed, with a wrong password, or for the last admin.
/// </summary>
public sealed class AccountDeletionTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const string DeletePage = "/Account/Delete";

    private static Task<HttpResponseMessage> SubmitDeleteAsync(BrowserSession browser, string password, string? code = null) =>
        browser.PostAsync(DeletePage, new Dictionary<string, string> { ["Input.Password"] = password, ["Input.Code"] = code ?? "" }, tokenPage: "/Account/Profile");

    private async Task<AllianceUser> UserAsync(long userId)
    {
        await using var db = app.NewDb();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId);
    }

    /// <summary>A paid order through the webmaster's link: pending commission, and ledger lines on their accounts.</summary>
    private async Task<(MoneyWorld World, string OrderId, ItemInfo Item)> OrderThroughAsync(TestWebmaster webmaster)
    {
        var world = new MoneyWorld(app);
        var (clicked, _, _) = await world.ItemsAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, clicked.Id, world.Now.AddHours(-1));
        var orderId = MoneyWorld.NewOrderId();
        await world.ProcessAsync(MoneyWorld.Paid(clicked.ShopId, orderId, world.Now, visitor, MoneyWorld.Line(clicked.Id, 1, clicked.PriceFen)));
        return (world, orderId, clicked);
    }

    private async Task<(int Lines, long Sum)> WebmasterLedgerAsync(long webmasterId)
    {
        await using var db = app.NewDb();
        var accounts = db.LedgerAccounts.Where(a => a.WebmasterId == webmasterId).Select(a => a.Id);
        var lines = db.JournalLines.Where(l => accounts.Contains(l.AccountId));
        return (await lines.CountAsync(), await lines.SumAsync(l => l.AmountFen));
    }

    [Fact]
    public async Task A_deleted_account_cannot_sign_in_its_personal_data_is_gone_and_the_ledger_stays()
    {
        using var me = await app.NewSignedInWebmasterAsync("Deleted site " + Guid.NewGuid().ToString("N")[..6]);
        var email = me.Browser.Email!;
        await me.SetPayoutMethodAsync(); // turns two-factor sign-in on, so deleting needs a code too
        using (await me.Browser.SubmitAsync("/Account/Profile", f => f.Action.Contains("handler=RotateKey", StringComparison.Ordinal))) { }
        // Money went through the account and back: a paid order, then refunded in full before settlement.
        var (world, orderId, item) = await OrderThroughAsync(me.Webmaster);
        await world.ProcessAsync(MoneyWorld.Refunded(item.ShopId, orderId, world.Now, MoneyWorld.Line(item.Id, 1, item.PriceFen)));
        var ledgerBefore = await WebmasterLedgerAsync(me.WebmasterId);
        ledgerBefore.Lines.Should().BeGreaterThan(0);
        ledgerBefore.Sum.Should().Be(0);
        var wholeLedgerBefore = await world.LedgerSumAsync();
        long linkId;
        await using (var db = app.NewDb())
        {
            var link = new TaobaoAlliance.Data.Tracking.Link
            {
                Code = "del" + Guid.NewGuid().ToString("N")[..8], WebmasterId = me.WebmasterId, SiteId = me.Webmaster.SiteId, ZoneId = me.Webmaster.ZoneId,
                ItemId = item.Id, CreatedAt = world.Now,
            };
            db.Links.Add(link);
            await db.SaveChangesAsync();
            linkId = link.Id;
        }
        var before = await UserAsync(me.UserId);
        using var otherBrowser = new BrowserSession(app);
        await otherBrowser.SignInAsync(email, SignedIn.WebmasterPassword, me.Browser.AuthenticatorKey);

        var page = await me.Browser.PageAsync(DeletePage);
        page.Should().Contain("id=\"deletion-removed\"").And.Contain("id=\"deletion-kept\"").And.Contain("id=\"delete-account-form\"");
        using (var noCode = await SubmitDeleteAsync(me.Browser, SignedIn.WebmasterPassword))
        {
            FormErrors(await noCode.Content.ReadAsStringAsync()).Should().BeEmpty();
            Text(await noCode.Content.ReadAsStringAsync()).Should().Contain("Enter the code from your authenticator app.");
        }
        (await UserAsync(me.UserId)).Email.Should().Be(email, "without the code nothing changes");

        using var response = await SubmitDeleteAsync(me.Browser, SignedIn.WebmasterPassword, Totp.Code(me.Browser.AuthenticatorKey!));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("id=\"account-deleted\"");
        me.Browser.Cookie("alliance_auth").Should().BeNull("this browser is signed out");

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        using (var session = await otherBrowser.GetAsync("/Webmaster"))
        {
            session.StatusCode.Should().Be(HttpStatusCode.Redirect, "every other session ends too");
            session.Headers.Location!.OriginalString.Should().Contain("/Account/SignIn");
        }
        using var fresh = new BrowserSession(app);
        using (var signIn = await fresh.SubmitAsync("/Account/SignIn", "/Account/SignIn",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = SignedIn.WebmasterPassword }))
        {
            signIn.StatusCode.Should().Be(HttpStatusCode.OK);
            FormErrors(await signIn.Content.ReadAsStringAsync()).Should().Contain("Wrong email or password.");
            fresh.Cookie("alliance_auth").Should().BeNull();
        }

        var after = await UserAsync(me.UserId);
        after.Email.Should().Be($"deleted-{me.UserId}@invalid");
        after.UserName.Should().Be($"deleted-{me.UserId}@invalid");
        after.DisplayName.Should().BeEmpty();
        after.PasswordHash.Should().BeNull();
        after.TwoFactorEnabled.Should().BeFalse();
        after.SecurityStamp.Should().NotBe(before.SecurityStamp);
        after.LockoutEnd.Should().BeAfter(app.Clock.GetUtcNow().AddYears(100));
        after.DeletedAt.Should().NotBeNull();
        await using (var db = app.NewDb())
        {
            // Straight from the users table: the address is nowhere in it any more.
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM users WHERE lower(email) = lower(@e) OR lower(user_name) = lower(@e) OR normalized_email = upper(@e) OR display_name = @n";
            command.Parameters.Add(new Npgsql.NpgsqlParameter("e", email));
            command.Parameters.Add(new Npgsql.NpgsqlParameter("n", before.DisplayName));
            ((long)(await command.ExecuteScalarAsync())!).Should().Be(0);
            await connection.CloseAsync();

            (await db.UserTokens.CountAsync(t => t.UserId == me.UserId)).Should().Be(0, "the authenticator key and recovery codes are gone");
            (await db.UserRoles.CountAsync(r => r.UserId == me.UserId)).Should().Be(0);
            (await db.PayoutMethods.CountAsync(m => m.WebmasterId == me.WebmasterId)).Should().Be(0);
            var webmaster = await db.Webmasters.AsNoTracking().SingleAsync(w => w.Id == me.WebmasterId);
            webmaster.ApiKeyHash.Should().BeNull();
            webmaster.ApiKeyPrefix.Should().BeNull();
            (await db.Sites.AsNoTracking().SingleAsync(s => s.Id == me.Webmaster.SiteId)).State.Should().Be(SiteState.Suspended);
            (await db.Links.AsNoTracking().SingleAsync(l => l.Id == linkId)).IsPaused.Should().BeTrue("links stop paying");
            (await db.OutboxEmails.CountAsync(e => e.To == email)).Should().Be(0, "the emails sent to the address went with it");
            var audit = await db.AuditLog.AsNoTracking().Where(a => a.Action == "account.delete" && a.EntityId == me.UserId.ToString()).ToListAsync();
            audit.Should().ContainSingle();
            audit[0].Details.Should().NotContain(email);
        }
        (await WebmasterLedgerAsync(me.WebmasterId)).Should().Be(ledgerBefore, "money records stay, under the anonymous id");
        (await world.LedgerSumAsync()).Should().Be(wholeLedgerBefore);
    }

    [Fact]
    public async Task Deletion_is_refused_while_commission_is_pending_and_changes_nothing()
    {
        using var me = await app.NewSignedInWebmasterAsync("Pending site");
        await OrderThroughAsync(me.Webmaster);
        var before = await UserAsync(me.UserId);

        var page = await me.Browser.PageAsync(DeletePage);
        page.Should().Contain("id=\"deletion-blocked\"").And.NotContain("id=\"delete-account-form\"");
        Text(page).Should().Contain("is still on its way to you");
        using var response = await SubmitDeleteAsync(me.Browser, SignedIn.WebmasterPassword);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        FormErrors(await response.Content.ReadAsStringAsync()).Should().Contain("is still on its way to you");
        var after = await UserAsync(me.UserId);
        after.Email.Should().Be(before.Email);
        after.PasswordHash.Should().Be(before.PasswordHash);
        after.SecurityStamp.Should().Be(before.SecurityStamp);
        after.DeletedAt.Should().BeNull();
        await using var db = app.NewDb();
        (await db.Sites.AsNoTracking().SingleAsync(s => s.Id == me.Webmaster.SiteId)).State.Should().Be(SiteState.Approved);
        (await me.Browser.GetAsync("/Webmaster")).StatusCode.Should().Be(HttpStatusCode.OK, "still signed in");
    }

    [Fact]
    public async Task A_wrong_password_changes_nothing()
    {
        using var buyer = await BrowserSession.NewBuyerAsync(app);
        await using var lookup = app.NewDb();
        var before = await lookup.Users.AsNoTracking().SingleAsync(u => u.Email == buyer.Email);

        using var response = await SubmitDeleteAsync(buyer, "Not-the-password1");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        FormErrors(await response.Content.ReadAsStringAsync()).Should().Contain("The current password is not right.");
        var after = await UserAsync(before.Id);
        after.Email.Should().Be(before.Email);
        after.DisplayName.Should().Be(before.DisplayName);
        after.PasswordHash.Should().Be(before.PasswordHash);
        after.SecurityStamp.Should().Be(before.SecurityStamp);
        after.DeletedAt.Should().BeNull();
        (await buyer.GetAsync("/Account/Profile")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_seller_with_money_in_the_wallet_is_told_to_withdraw_it_first()
    {
        using var seller = await app.DemoSellerAsync(1);
        await using var lookup = app.NewDb();
        var before = await lookup.Users.AsNoTracking().SingleAsync(u => u.Email == "seller1@taobaoalliance.local");

        using var response = await SubmitDeleteAsync(seller, "Seller1!demo");

        FormErrors(await response.Content.ReadAsStringAsync()).Should().Contain("Your wallet holds");
        (await UserAsync(before.Id)).Email.Should().Be(before.Email);
    }

    [Fact]
    public async Task A_seller_with_nothing_owed_is_deleted_and_the_campaigns_stop_and_items_come_off_sale()
    {
        using var seller = new BrowserSession(app);
        var email = $"seller-{Guid.NewGuid():N}@example.test";
        await seller.SignUpAsync(email, "Seller!pass123", "Seller");
        long campaignId, itemId, shopId;
        await using (var db = app.NewDb())
        {
            var sellerId = await db.Sellers.Where(s => s.User.Email == email).Select(s => s.Id).SingleAsync();
            var now = app.Clock.GetUtcNow();
            var shop = new TaobaoAlliance.Data.Catalog.Shop
            {
                SellerId = sellerId, Slug = "del-" + Guid.NewGuid().ToString("N")[..8], NameZh = "店", NameEn = "Shop", GeneralRateBp = 500,
                OrdersApiSecret = "secret-" + Guid.NewGuid().ToString("N"), CreatedAt = now,
            };
            var item = new TaobaoAlliance.Data.Catalog.Item { Shop = shop, CategoryId = 3, TitleZh = "物", TitleEn = "Thing", PriceFen = 1000, CreatedAt = now, UpdatedAt = now };
            db.Items.Add(item);
            var campaign = new Campaign { Shop = shop, Name = "Spring", BidFen = 50, DailyBudgetFen = 1000, State = CampaignState.Active, StartsAt = now, CreatedAt = now };
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
            (campaignId, itemId, shopId) = (campaign.Id, item.Id, shop.Id);
        }

        using var response = await SubmitDeleteAsync(seller, "Seller!pass123");

        (await response.Content.ReadAsStringAsync()).Should().Contain("id=\"account-deleted\"");
        await using var check = app.NewDb();
        (await check.Campaigns.AsNoTracking().SingleAsync(c => c.Id == campaignId)).State.Should().Be(CampaignState.Paused);
        (await check.Items.AsNoTracking().SingleAsync(i => i.Id == itemId)).IsListed.Should().BeFalse();
        (await check.Shops.AsNoTracking().SingleAsync(s => s.Id == shopId)).OrdersApiSecret.Should().BeNull();
        (await check.Users.CountAsync(u => u.Email == email)).Should().Be(0);
        var userId = await check.Sellers.Where(s => s.Id == check.Shops.Where(x => x.Id == shopId).Select(x => x.SellerId).Single()).Select(s => s.UserId).SingleAsync();
        var adminId = await check.Users.Where(u => u.Email == "admin@taobaoalliance.local").Select(u => u.Id).SingleAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var enabled = await scope.ServiceProvider.GetRequiredService<TaobaoAlliance.Application.Accounts.AccountAccess>().EnableAsync(userId, adminId, default);
        enabled.Refusal.Should().Be(TaobaoAlliance.Application.Accounts.AccountRefusal.Deleted, "an admin cannot bring a deleted account back");
    }

    [Fact]
    public async Task The_last_admin_cannot_delete_themself()
    {
        using var admin = new BrowserSession(app);
        await admin.SignInAsync("admin@taobaoalliance.local", "Admin!2026demo");

        var page = await admin.PageAsync(DeletePage);
        Text(page).Should().Contain("You are the only admin.");
        using var response = await SubmitDeleteAsync(admin, "Admin!2026demo", Totp.Code(admin.AuthenticatorKey!));

        FormErrors(await response.Content.ReadAsStringAsync()).Should().Contain("You are the only admin.");
        await using var db = app.NewDb();
        (await db.Users.AsNoTracking().SingleAsync(u => u.Email == "admin@taobaoalliance.local")).DeletedAt.Should().BeNull();
    }
}
