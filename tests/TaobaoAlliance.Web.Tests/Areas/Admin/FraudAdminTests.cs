using System.Net;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Subsidies;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;
using static TaobaoAlliance.Testing.MoneyWorld;

namespace TaobaoAlliance.Web.Tests.Areas.Admin;

/// <summary>Fraud review: invalid clicks by reason, flagged orders, and voiding a commission in the ledger.</summary>
public sealed class FraudAdminTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private readonly MoneyWorld world = new(app);

    /// <summary>A paid order of ¥100 at 10 % for a fresh webmaster: ¥10 commission, ¥1 fee, ¥9 to the webmaster.</summary>
    private async Task<(TestWebmaster Webmaster, long ShopId, string OrderId, long OrderDbId, Commission Commission)> PaidOrderAsync()
    {
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddMinutes(-10), itemRateBp: 1_000);
        var orderId = NewOrderId();
        var result = await world.ProcessAsync(Paid(item.ShopId, orderId, world.Now, visitor, Line(item.Id, 1, 10_000)));
        await using var db = app.NewDb();
        var commission = await db.Commissions.AsNoTracking().SingleAsync(c => c.OrderId == result.OrderId);
        return (webmaster, item.ShopId, orderId, result.OrderId, commission);
    }

    private async Task<Commission> CommissionAsync(long id)
    {
        await using var db = app.NewDb();
        return await db.Commissions.AsNoTracking().SingleAsync(c => c.Id == id);
    }

    private async Task<int> JournalEntriesAsync()
    {
        await using var db = app.NewDb();
        return await db.JournalEntries.CountAsync();
    }

    private static Task<HttpResponseMessage> VoidAsync(BrowserSession admin, long commissionId, string reason) =>
        admin.PostAsync("/Admin/Fraud?handler=Void",
            new Dictionary<string, string> { ["commissionId"] = commissionId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["reason"] = reason },
            "/Admin/Fraud");

    [Fact]
    public async Task Voiding_a_pending_commission_reverses_it_in_the_ledger()
    {
        var (webmaster, shopId, _, orderId, commission) = await PaidOrderAsync();
        var sellerId = await world.SellerOfShopAsync(shopId);
        var dueBefore = await world.BalanceAsync(AccountRef.CommissionDue(sellerId));
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Fen.Should().Be(900);
        using var admin = await AdminAsync(app);

        using var response = await admin.SubmitAsync($"/Admin/Orders/{orderId}", Form("Void", "commissionId", commission.Id),
            new Dictionary<string, string> { ["reason"] = "Incentivised clicks" });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await CommissionAsync(commission.Id)).State.Should().Be(CommissionState.Voided);
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Fen.Should().Be(0);
        (await world.BalanceAsync(AccountRef.CommissionDue(sellerId)) - dueBefore).Fen.Should().Be(1_000, "the seller no longer owes it");
        (await world.LedgerSumAsync()).Should().Be(0);
        await using var db = app.NewDb();
        (await db.JournalEntries.SingleAsync(e => e.IdempotencyKey == $"order:{orderId}:reversed:void-{commission.Id}")).OrderId.Should().Be(orderId);
        (await AuditAsync(app, "commission", commission.Id)).Should().ContainSingle(a => a.Action == "commission.void" && a.Details!.Contains("Incentivised clicks"));
    }

    [Fact]
    public async Task Voiding_a_settled_commission_claws_it_back_from_available()
    {
        var (webmaster, shopId, externalId, _, commission) = await PaidOrderAsync();
        var sellerId = await world.SellerOfShopAsync(shopId);
        await world.ProcessAsync(Confirmed(shopId, externalId, world.Now));
        app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await world.RunOrderLifeAsync();
        (await world.BalanceAsync(AccountRef.Available(webmaster.Id))).Fen.Should().Be(900);
        var walletBefore = await world.BalanceAsync(AccountRef.Wallet(sellerId));
        using var admin = await AdminAsync(app);

        using var response = await VoidAsync(admin, commission.Id, "Self-dealing found later");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await CommissionAsync(commission.Id)).State.Should().Be(CommissionState.Voided);
        (await world.BalanceAsync(AccountRef.Available(webmaster.Id))).Fen.Should().Be(0);
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Fen.Should().Be(0);
        (await world.BalanceAsync(AccountRef.Wallet(sellerId)) - walletBefore).Fen.Should().Be(1_000, "the seller gets the commission back");
        (await world.LedgerSumAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Voiding_twice_is_a_message_and_writes_nothing()
    {
        var (webmaster, _, _, _, commission) = await PaidOrderAsync();
        using var admin = await AdminAsync(app);
        (await VoidAsync(admin, commission.Id, "Fraud")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var entries = await JournalEntriesAsync();

        using var again = await VoidAsync(admin, commission.Id, "Fraud again");

        FormErrors(await again.Content.ReadAsStringAsync()).Should().Be($"Commission {commission.Id} is Voided: only a pending or settled commission can be voided.");
        (await JournalEntriesAsync()).Should().Be(entries);
        (await AuditAsync(app, "commission", commission.Id)).Should().ContainSingle();
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Fen.Should().Be(0);
    }

    [Fact]
    public async Task Voiding_needs_a_reason()
    {
        var (webmaster, _, _, _, commission) = await PaidOrderAsync();
        using var admin = await AdminAsync(app);

        using var response = await VoidAsync(admin, commission.Id, "  ");

        FormErrors(await response.Content.ReadAsStringAsync()).Should().Be("Give a reason for voiding the commission.");
        (await CommissionAsync(commission.Id)).State.Should().Be(CommissionState.Pending);
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Fen.Should().Be(900);
    }

    [Fact]
    public async Task Voiding_a_subsidised_commission_gives_the_subsidy_back_to_its_programme()
    {
        long programmeId;
        await using (var db = app.NewDb())
        {
            var programme = new SubsidyProgramme
            {
                Name = "Void test bonus", BonusBp = 2_000, StartsAt = world.Now.AddDays(-1), EndsAt = world.Now.AddDays(1), CapFen = 1_000_000,
            };
            db.SubsidyProgrammes.Add(programme);
            await db.SaveChangesAsync();
            programmeId = programme.Id;
        }
        try
        {
            var (webmaster, _, _, _, commission) = await PaidOrderAsync();
            commission.SubsidyFen.Should().Be(180, "+20 % of the ¥9 webmaster share");
            using var admin = await AdminAsync(app);

            (await VoidAsync(admin, commission.Id, "Fraud")).StatusCode.Should().Be(HttpStatusCode.Redirect);

            await using var db = app.NewDb();
            (await db.SubsidyProgrammes.SingleAsync(p => p.Id == programmeId)).SpentFen.Should().Be(0);
            (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Fen.Should().Be(0);
            (await world.LedgerSumAsync()).Should().Be(0);
        }
        finally
        {
            await using var db = app.NewDb();
            await db.SubsidyProgrammes.Where(p => p.Id == programmeId).ExecuteUpdateAsync(s => s.SetProperty(p => p.IsActive, false));
        }
    }

    [Fact]
    public async Task The_page_counts_invalid_clicks_by_reason_and_shows_their_user_agents_encoded()
    {
        var webmaster = await world.NewWebmasterAsync();
        var item = (await world.ItemsAsync()).Clicked;
        var now = world.Now;
        await using (var db = app.NewDb())
        {
            var id = 0;
            void Add(DateTimeOffset at, string reason, string agent) => db.Clicks.Add(new TaobaoAlliance.Data.Tracking.Click
            {
                Id = Guid.CreateVersion7(at.AddTicks(++id)), OccurredAt = at, WebmasterId = webmaster.Id, SiteId = webmaster.SiteId, ZoneId = webmaster.ZoneId,
                ItemId = item.Id, ShopId = item.ShopId, VisitorId = Guid.NewGuid(), IpHash = new byte[32], UserAgent = agent, IsValid = false,
                InvalidReason = reason, ItemRateBp = 100, ShopRateBp = 100,
            });
            Add(now.AddMinutes(-5), "bot_user_agent", "<script>alert('ua')</script>");
            Add(now.AddDays(-3), "bot_user_agent", "curl/8.0");
            Add(now.AddDays(-20), "bot_user_agent", "curl/8.0");
            Add(now.AddDays(-40), "bot_user_agent", "curl/8.0");
            Add(now.AddMinutes(-1), "ip_rate_limit", "Mozilla/5.0");
            await db.SaveChangesAsync();
        }
        using var admin = await AdminAsync(app);

        var html = await admin.PageAsync("/Admin/Fraud");

        var bots = html[html.IndexOf("data-reason=\"bot_user_agent\"", StringComparison.Ordinal)..];
        bots = bots[..bots.IndexOf("</tr>", StringComparison.Ordinal)];
        bots.Should().Contain("count-today\">1<").And.Contain("count-week\">2<").And.Contain("count-month\">3<");
        html.Should().Contain("data-reason=\"ip_rate_limit\"");
        html.Should().Contain("&lt;script&gt;alert(&#x27;ua&#x27;)&lt;/script&gt;").And.NotContain("<script>alert('ua')</script>");
    }

    [Fact]
    public async Task Flagged_orders_are_listed_with_their_attribution_note()
    {
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddMinutes(-10));
        var orderId = NewOrderId();
        var command = Paid(item.ShopId, orderId, world.Now, visitor, Line(item.Id, 1, 10_000)) with { BuyerUserId = webmaster.UserId };
        var result = await world.ProcessAsync(command);
        using var admin = await AdminAsync(app);

        var html = await admin.PageAsync("/Admin/Fraud");

        var start = html.IndexOf($"data-order=\"{result.OrderId}\"", StringComparison.Ordinal);
        start.Should().BePositive("the self-purchase is flagged");
        var card = html[start..html.IndexOf("attribution-note", start, StringComparison.Ordinal)];
        card.Should().Contain(orderId).And.Contain("Self-purchase");
        html[start..].Should().Contain("Self-purchase: the buyer is the webmaster who clicked");
    }
}
