using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Application.Cpc;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Web.Tests.Clicks;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;

namespace TaobaoAlliance.Web.Tests.Cpc;

/// <summary>
/// The CPC hold (product.md, "CPC money is held too"): a paid click's webmaster share waits in CPC pending for
/// <c>CpcHoldDays</c> and the release run makes it available; an admin voids paid clicks (one, or by site, IP hash or
/// time range) after a preview, giving the seller back exactly what was charged and taking the webmaster's share back.
/// </summary>
public sealed class CpcHoldAndVoidTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const long PriceFen = 40; // 20 to the webmaster, 20 to the platform at the default 50 % share
    private readonly MoneyWorld money = new(app);

    private sealed record Arranged(CpcWorld World, TestSeller Seller, long CampaignId);

    private async Task<Arranged> ArrangeAsync()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(100));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 100, dailyBudgetFen: 100_000);
        return new(world, seller, campaign);
    }

    /// <summary>Charges one paid click on <paramref name="zone"/> from a new visitor (a new user agent, so never a free repeat).</summary>
    private static async Task<Guid> PaidClickAsync(Arranged a, TestWebmaster zone, string? ip = null)
    {
        var token = a.World.Tickets(a.CampaignId, zone.ZoneId, a.Seller.ItemIds[0], PriceFen, 1).Single();
        using var response = await a.World.ClickAsync(token, ip: ip, userAgent: "Mozilla/5.0 test " + Guid.NewGuid().ToString("N"));
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        return response.ClickId();
    }

    private async Task<CpcReleaseRun> ReleaseAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CpcHoldRelease>().RunOnceAsync();
    }

    private async Task<List<CpcCharge>> ChargesAsync(IEnumerable<Guid> clickIds)
    {
        var ids = clickIds.ToList();
        await using var db = app.NewDb();
        return await db.CpcCharges.AsNoTracking().Where(c => ids.Contains(c.ClickId)).OrderBy(c => c.Id).ToListAsync();
    }

    private async Task<(Money CpcPending, Money Available)> WebmasterAsync(TestWebmaster w) =>
        (await money.BalanceAsync(AccountRef.CpcPending(w.Id)), await money.BalanceAsync(AccountRef.Available(w.Id)));

    private async Task<int> EntriesAsync(string kind)
    {
        await using var db = app.NewDb();
        return await db.JournalEntries.CountAsync(e => e.Kind == kind);
    }

    private static Dictionary<string, string> Selection(long? chargeId = null, long? siteId = null, string? ipHash = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null) => new()
    {
        ["Cpc.ChargeId"] = chargeId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
        ["Cpc.SiteId"] = siteId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
        ["Cpc.IpHash"] = ipHash ?? "",
        ["Cpc.From"] = from is { } f ? ChinaTime.ToLocalInput(f) : "",
        ["Cpc.To"] = to is { } t ? ChinaTime.ToLocalInput(t) : "",
    };

    private sealed record Preview(string Html, int Clicks, long PriceFen, long ShareFen, int Held, long ClawbackFen, BrowserSession.Form? Confirm);

    /// <summary>Submits the fraud page's selection form as the admin and reads the preview it answers with.</summary>
    private static async Task<Preview> PreviewAsync(BrowserSession admin, Dictionary<string, string> selection)
    {
        using var response = await admin.SubmitAsync("/Admin/Fraud", f => f.Action.Contains("handler=PreviewClicks", StringComparison.Ordinal), selection);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        var card = System.Text.RegularExpressions.Regex.Match(html,
            "class=\"card mt-3 cpc-void-preview\" data-clicks=\"(\\d+)\" data-price-fen=\"(\\d+)\" data-share-fen=\"(\\d+)\" data-held=\"(\\d+)\" data-clawback-fen=\"(\\d+)\"");
        if (!card.Success) return new(html, -1, -1, -1, -1, -1, null);
        long G(int i) => long.Parse(card.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture);
        var confirm = BrowserSession.Forms(html).FirstOrDefault(f => f.Action.Contains("handler=VoidClicks", StringComparison.Ordinal));
        return new(html, (int)G(1), G(2), G(3), (int)G(4), G(5), confirm);
    }

    /// <summary>Confirms a preview's void form with a reason, as the admin's browser would.</summary>
    private static async Task<HttpResponseMessage> ConfirmAsync(BrowserSession admin, Preview preview, string reason = "Click farm")
    {
        preview.Confirm.Should().NotBeNull("a preview with clicks offers the confirm form");
        var fields = new Dictionary<string, string>(preview.Confirm!.Fields) { ["reason"] = reason };
        return await admin.PostRawAsync(preview.Confirm.Action, fields);
    }

    [Fact]
    public async Task A_paid_clicks_share_stays_in_cpc_pending_for_the_hold_then_one_release_makes_it_available()
    {
        var a = await ArrangeAsync();
        using var me = await app.NewSignedInWebmasterAsync();
        var zone = await SmartAsync(a.World, me.Webmaster);
        var clicks = new[] { await PaidClickAsync(a, zone), await PaidClickAsync(a, zone) };
        var chargedAt = app.Clock.GetUtcNow();

        (await WebmasterAsync(zone)).Should().Be((new Money(40), Money.Zero), "the share waits in CPC pending, not available");
        var page = await me.Browser.PageAsync("/Webmaster/Balance");
        PageText.Text(page).Should().Contain("CPC pending").And.Contain("¥0.40");
        page.Should().Contain($"data-day=\"{ChinaTime.DayOf(chargedAt.AddDays(3)):yyyy-MM-dd}\" data-share-fen=\"40\"", "the page says when it becomes available");

        app.Clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        (await ReleaseAsync()).Charges.Should().Be(0, "the hold is not over yet");
        (await WebmasterAsync(zone)).Should().Be((new Money(40), Money.Zero));

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var releasesBefore = await EntriesAsync("cpc.released");
        var run = await ReleaseAsync();

        run.Charges.Should().BeGreaterThanOrEqualTo(2);
        (await WebmasterAsync(zone)).Should().Be((Money.Zero, new Money(40)));
        (await EntriesAsync("cpc.released") - releasesBefore).Should().Be(1, "one entry for the whole batch, not one per click");
        (await ChargesAsync(clicks)).Should().OnlyContain(c => c.ReleasedAt != null && c.VoidedAt == null);

        (await ReleaseAsync()).Charges.Should().Be(0, "a charge leaves the hold once");
        (await WebmasterAsync(zone)).Should().Be((Money.Zero, new Money(40)));
        (await EntriesAsync("cpc.released") - releasesBefore).Should().Be(1);
        (await money.LedgerSumAsync()).Should().Be(0);
        PageText.Text(await me.Browser.PageAsync("/Webmaster/Balance")).Should().Contain("CPC earnings released after the hold: now available");
    }

    [Fact]
    public async Task Voiding_a_sites_time_range_gives_back_exactly_what_was_charged_and_the_preview_says_what_the_void_does()
    {
        var a = await ArrangeAsync();
        var siteA = await a.World.NewSmartZoneAsync();
        var siteB = await a.World.NewSmartZoneAsync();
        var walletBefore = await a.World.WalletAsync(a.Seller.SellerId);
        var revenueBefore = await money.BalanceAsync(AccountRef.Revenue);
        var from = app.Clock.GetUtcNow();
        var inRange = new List<Guid>();
        for (var i = 0; i < 3; i++) inRange.Add(await PaidClickAsync(a, siteA));
        var otherSite = await PaidClickAsync(a, siteB);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var to = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var later = await PaidClickAsync(a, siteA);
        using var admin = await AdminAsync(app);

        var preview = await PreviewAsync(admin, Selection(siteId: siteA.SiteId, from: from.AddMinutes(-1), to: to));

        (preview.Clicks, preview.PriceFen, preview.ShareFen, preview.Held, preview.ClawbackFen).Should().Be((3, 120L, 60L, 3, 0L));
        PageText.Text(preview.Html).Should().Contain("3 paid clicks match: ¥1.20 back to the sellers' wallets");
        (await ChargesAsync(inRange)).Should().OnlyContain(c => c.VoidedAt == null, "a preview changes nothing");

        using var response = await ConfirmAsync(admin, preview);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await ChargesAsync(inRange)).Should().OnlyContain(c => c.VoidedAt != null);
        (await ChargesAsync([otherSite, later])).Should().OnlyContain(c => c.VoidedAt == null, "another site and a later click are not selected");
        // What the void moved is what the preview said: the ledger is as if only the two unselected clicks had been paid.
        (await a.World.WalletAsync(a.Seller.SellerId)).Should().Be(walletBefore - new Money(2 * PriceFen));
        (await WebmasterAsync(siteA)).Should().Be((new Money(20), Money.Zero), "only the later click's share is left");
        (await WebmasterAsync(siteB)).Should().Be((new Money(20), Money.Zero));
        (await money.BalanceAsync(AccountRef.Revenue) - revenueBefore).Should().Be(new Money(2 * 20), "the platform gives its margin back");
        (await money.LedgerSumAsync()).Should().Be(0);
        await using var check = app.NewDb();
        (await check.Campaigns.SingleAsync(c => c.Id == a.CampaignId)).Clicks.Should().Be(5 - 3, "voided clicks no longer count towards quality");
        var audit = await check.AuditLog.AsNoTracking().Where(e => e.Action == "cpc.void").OrderBy(e => e.Id).LastAsync();
        audit.EntityType.Should().Be("cpc_void");
        audit.ActorUserId.Should().Be(await AdminUserIdAsync(app));
        audit.Details.Should().Contain("Click farm").And.Contain("\"clicks\": 3").And.Contain("\"priceFen\": 120").And.Contain($"\"siteId\": {siteA.SiteId}");
        (await check.JournalEntries.CountAsync(e => e.Kind == "cpc.voided" && e.IdempotencyKey == "cpc-void:" + audit.EntityId))
            .Should().Be(1, "one ledger entry for the whole void");
    }

    [Fact]
    public async Task Voiding_a_click_already_released_claws_its_share_back_from_available()
    {
        var a = await ArrangeAsync();
        var zone = await a.World.NewSmartZoneAsync();
        var walletBefore = await a.World.WalletAsync(a.Seller.SellerId);
        var click = await PaidClickAsync(a, zone);
        app.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        await ReleaseAsync();
        (await WebmasterAsync(zone)).Should().Be((Money.Zero, new Money(20)));
        var charge = (await ChargesAsync([click])).Single();
        using var admin = await AdminAsync(app);

        var preview = await PreviewAsync(admin, Selection(chargeId: charge.Id));
        (preview.Clicks, preview.PriceFen, preview.Held, preview.ClawbackFen).Should().Be((1, PriceFen, 0, 20L));
        using var response = await ConfirmAsync(admin, preview);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await WebmasterAsync(zone)).Should().Be((Money.Zero, Money.Zero), "the released share is clawed back from available");
        (await a.World.WalletAsync(a.Seller.SellerId)).Should().Be(walletBefore);
        (await money.LedgerSumAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Voiding_an_ip_hash_twice_changes_nothing_the_second_time_and_a_voided_click_is_never_released()
    {
        var a = await ArrangeAsync();
        var zone = await a.World.NewSmartZoneAsync();
        var walletBefore = await a.World.WalletAsync(a.Seller.SellerId);
        var ip = TestClientAddress.Fresh();
        var clicks = new[] { await PaidClickAsync(a, zone, ip), await PaidClickAsync(a, zone, ip) };
        var other = await PaidClickAsync(a, zone);
        string ipHash;
        await using (var db = app.NewDb())
        {
            ipHash = Convert.ToHexStringLower(await db.Clicks.Where(c => c.Id == clicks[0]).Select(c => c.IpHash).SingleAsync());
        }
        using var admin = await AdminAsync(app);
        var preview = await PreviewAsync(admin, Selection(ipHash: ipHash.ToUpperInvariant()));
        preview.Clicks.Should().Be(2);
        using (var first = await ConfirmAsync(admin, preview)) first.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var afterFirst = (await a.World.WalletAsync(a.Seller.SellerId), await WebmasterAsync(zone), await EntriesAsync("cpc.voided"));
        afterFirst.Should().Be((walletBefore - new Money(PriceFen), (new Money(20), Money.Zero), afterFirst.Item3));

        using var again = await ConfirmAsync(admin, preview);

        again.StatusCode.Should().Be(HttpStatusCode.OK, "the page says why nothing was done");
        PageText.FormErrors(await again.Content.ReadAsStringAsync()).Should().NotBeEmpty();
        (await a.World.WalletAsync(a.Seller.SellerId), await WebmasterAsync(zone), await EntriesAsync("cpc.voided")).Should().Be(afterFirst);
        (await PreviewAsync(admin, Selection(ipHash: ipHash))).Clicks.Should().Be(0, "voided clicks are not selected again");

        app.Clock.Advance(TimeSpan.FromDays(4));
        await ReleaseAsync();
        (await ChargesAsync(clicks)).Should().OnlyContain(c => c.ReleasedAt == null && c.VoidedAt != null, "a voided charge is never released");
        (await ChargesAsync([other])).Should().OnlyContain(c => c.ReleasedAt != null);
        (await WebmasterAsync(zone)).Should().Be((Money.Zero, new Money(20)), "only the other click's share became available");
        (await money.LedgerSumAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_void_refuses_an_empty_selection_a_reversed_range_a_bad_ip_hash_and_a_missing_reason_and_changes_nothing()
    {
        var a = await ArrangeAsync();
        var zone = await a.World.NewSmartZoneAsync();
        var click = await PaidClickAsync(a, zone);
        var now = app.Clock.GetUtcNow();
        using var admin = await AdminAsync(app);

        PageText.FormErrors((await PreviewAsync(admin, Selection())).Html).Should().Contain("Choose the paid clicks");
        PageText.FormErrors((await PreviewAsync(admin, Selection(from: now, to: now.AddMinutes(-5)))).Html).Should().Contain("must be after its start");
        PageText.Messages((await PreviewAsync(admin, Selection(ipHash: "not-hex"))).Html).Should().Contain("hexadecimal");
        var preview = await PreviewAsync(admin, Selection(siteId: zone.SiteId));
        preview.Clicks.Should().Be(1);
        using var noReason = await ConfirmAsync(admin, preview, reason: " ");

        noReason.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.FormErrors(await noReason.Content.ReadAsStringAsync()).Should().Contain("Give a reason");
        (await ChargesAsync([click])).Single().VoidedAt.Should().BeNull();
        (await WebmasterAsync(zone)).Should().Be((new Money(20), Money.Zero));
    }

    [Fact]
    public async Task Only_an_admin_can_void_paid_clicks_and_only_with_the_antiforgery_token()
    {
        var a = await ArrangeAsync();
        var zone = await a.World.NewSmartZoneAsync();
        var click = await PaidClickAsync(a, zone);
        var charge = (await ChargesAsync([click])).Single();
        using var admin = await AdminAsync(app);
        var preview = await PreviewAsync(admin, Selection(chargeId: charge.Id));
        var fields = new Dictionary<string, string>(preview.Confirm!.Fields) { ["reason"] = "fraud" };

        using var webmaster = await app.NewWebmasterAsync();
        using var asWebmaster = await webmaster.Browser.PostAsync("/Admin/Fraud?handler=VoidClicks",
            fields.Where(f => f.Key != "__RequestVerificationToken"));
        using var withoutToken = await admin.PostRawAsync(preview.Confirm.Action, fields.Where(f => f.Key != "__RequestVerificationToken"));
        using var anonymous = await new BrowserSession(app).PostRawAsync(preview.Confirm.Action, fields);

        asWebmaster.StatusCode.Should().Be(HttpStatusCode.Redirect);
        asWebmaster.Headers.Location!.OriginalString.Should().Contain("/Account/AccessDenied");
        withoutToken.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        anonymous.StatusCode.Should().BeOneOf(HttpStatusCode.Redirect, HttpStatusCode.BadRequest);
        (await ChargesAsync([click])).Single().VoidedAt.Should().BeNull("nobody but a signed-in admin's form voids");
        (await WebmasterAsync(zone)).Should().Be((new Money(20), Money.Zero));
    }

    /// <summary>Puts a signed-in webmaster's zone into this world's auctions, as <see cref="CpcWorld.NewSmartZoneAsync"/> does.</summary>
    private async Task<TestWebmaster> SmartAsync(CpcWorld world, TestWebmaster webmaster)
    {
        await using var db = app.NewDb();
        await db.Sites.Where(s => s.Id == webmaster.SiteId).ExecuteUpdateAsync(s => s.SetProperty(x => x.CategoryId, world.CategoryId));
        await db.AdZones.Where(z => z.Id == webmaster.ZoneId).ExecuteUpdateAsync(s => s.SetProperty(z => z.IsSmart, true));
        return webmaster;
    }
}
