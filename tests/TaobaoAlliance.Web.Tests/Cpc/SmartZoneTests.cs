using System.Buffers.Text;
using System.Net;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Web.Tests.Clicks;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Tests.Cpc;

/// <summary>Serving a smart zone, and what a click on its ad records, charges and credits.</summary>
public sealed class SmartZoneTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private readonly MoneyWorld money = new(app);

    [Fact]
    public async Task The_highest_bid_wins_and_its_click_pays_the_second_price_split_between_webmaster_and_platform()
    {
        var world = await CpcWorld.CreateAsync(app);
        var winner = await world.NewSellerAsync(Money.FromYuan(100));
        var rival = await world.NewSellerAsync(Money.FromYuan(100));
        var winning = await world.NewCampaignAsync(winner, bidFen: 50, dailyBudgetFen: 5_000);
        await world.NewCampaignAsync(rival, bidFen: 30, dailyBudgetFen: 5_000);
        var zone = await world.NewSmartZoneAsync();
        var revenueBefore = await money.BalanceAsync(AccountRef.Revenue);

        var token = await world.ServeAsync(zone.ZoneId);
        var response = await world.ClickAsync(token!);

        var clickId = response.ClickId();
        response.Headers.Location!.OriginalString.Should().MatchRegex($@"^/item/({winner.ItemIds[0]}|{winner.ItemIds[1]})\?alliance_click=");
        var charge = (await world.ChargesAsync(winning)).Should().ContainSingle().Subject;
        charge.Should().BeEquivalentTo(new { ClickId = clickId, PriceFen = 30L, WebmasterShareFen = 15L, PlatformMarginFen = 15L, Outcome = CpcChargeOutcome.Charged, ZoneId = zone.ZoneId });
        (await world.WalletAsync(winner.SellerId)).Should().Be(Money.FromYuan(100) - new Money(30));
        (await money.BalanceAsync(AccountRef.CpcPending(zone.Id))).Should().Be(new Money(15));
        (await money.BalanceAsync(AccountRef.Revenue) - revenueBefore).Should().Be(new Money(15));
        var click = await app.ClickAsync(clickId);
        click.Should().BeEquivalentTo(new { IsValid = true, CampaignId = (long?)winning, ZoneId = zone.ZoneId, WebmasterId = zone.Id });
        await world.FlushImpressionsAsync();
        await using var db = app.NewDb();
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == winning);
        (campaign.Impressions, campaign.Clicks).Should().Be((1L, 1L));
        (await db.JournalEntries.CountAsync(e => e.Kind == "cpc.clicks" && e.IdempotencyKey.StartsWith("cpc:"))).Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task The_ad_page_may_be_framed_by_any_site_and_the_embed_script_points_at_it()
    {
        var world = await CpcWorld.CreateAsync(app);
        await world.NewCampaignAsync(await world.NewSellerAsync(Money.FromYuan(10)), bidFen: 20, dailyBudgetFen: 1_000);
        var zone = await world.NewSmartZoneAsync();
        using var client = app.Shopper();

        var page = await client.GetAsync($"/z/{zone.ZoneId}");
        var script = await client.GetAsync($"/z/{zone.ZoneId}/embed.js");

        page.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("frame-ancestors *").And.NotContain("script-src");
        page.Headers.Contains("X-Frame-Options").Should().BeFalse();
        page.Headers.CacheControl!.NoStore.Should().BeTrue();
        script.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript");
        (await script.Content.ReadAsStringAsync()).Should().Contain($"'/z/{zone.ZoneId}'").And.Contain("createElement('iframe')");
    }

    [Theory]
    [InlineData(SiteState.Approved, false)]
    [InlineData(SiteState.Pending, true)]
    [InlineData(SiteState.Suspended, true)]
    public async Task Only_a_smart_zone_of_an_approved_site_shows_ads(SiteState state, bool smart)
    {
        var world = await CpcWorld.CreateAsync(app);
        await world.NewCampaignAsync(await world.NewSellerAsync(Money.FromYuan(10)), bidFen: 20, dailyBudgetFen: 1_000);
        var zone = await world.NewSmartZoneAsync(state, smart);

        (await world.ServeAsync(zone.ZoneId)).Should().BeNull();
    }

    [Fact]
    public async Task A_crawler_gets_the_zone_without_an_ad_and_counts_no_impression()
    {
        var world = await CpcWorld.CreateAsync(app);
        var campaign = await world.NewCampaignAsync(await world.NewSellerAsync(Money.FromYuan(10)), bidFen: 20, dailyBudgetFen: 1_000);
        var zone = await world.NewSmartZoneAsync();
        using var crawler = app.CreateClient();
        crawler.DefaultRequestHeaders.UserAgent.ParseAdd("Googlebot/2.1 (+http://www.google.com/bot.html)");

        var page = await crawler.GetStringAsync($"/z/{zone.ZoneId}");

        page.Should().Contain("zone-empty").And.NotContain("/z/click/");
        await world.FlushImpressionsAsync();
        await using var db = app.NewDb();
        (await db.Campaigns.SingleAsync(c => c.Id == campaign)).Impressions.Should().Be(0);
        (await world.ServeAsync(zone.ZoneId)).Should().NotBeNull("a browser still gets the ad");
    }

    [Fact]
    public async Task An_unknown_zone_is_not_found()
    {
        using var client = app.Shopper();

        (await client.GetAsync("/z/987654321")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Paused_campaigns_and_campaigns_that_cannot_pay_their_bid_are_not_served()
    {
        var world = await CpcWorld.CreateAsync(app);
        await world.NewCampaignAsync(await world.NewSellerAsync(Money.FromYuan(100)), bidFen: 90, dailyBudgetFen: 1_000, state: CampaignState.Paused);
        await world.NewCampaignAsync(await world.NewSellerAsync(new Money(79)), bidFen: 80, dailyBudgetFen: 1_000); // wallet below its bid
        await world.NewCampaignAsync(await world.NewSellerAsync(Money.FromYuan(100)), bidFen: 70, dailyBudgetFen: 69); // budget below its bid
        var zone = await world.NewSmartZoneAsync();

        (await world.ServeAsync(zone.ZoneId)).Should().BeNull();
    }

    [Fact]
    public async Task A_repeat_click_by_the_same_visitor_on_the_same_campaign_within_24_hours_is_recorded_and_free()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(100));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 40, dailyBudgetFen: 5_000);
        var zone = await world.NewSmartZoneAsync();
        var visitor = Guid.NewGuid();

        await world.ClickAsync((await world.ServeAsync(zone.ZoneId))!, visitor);
        app.Clock.Advance(TimeSpan.FromHours(23));
        var repeat = await world.ClickAsync((await world.ServeAsync(zone.ZoneId))!, visitor);
        app.Clock.Advance(TimeSpan.FromHours(2));
        await world.ClickAsync((await world.ServeAsync(zone.ZoneId))!, visitor);

        repeat.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await app.ClickAsync(repeat.ClickId())).IsValid.Should().BeTrue("a repeat click is a real visit, only free");
        (await world.ChargesAsync(campaign)).OrderBy(c => c.ChargedAt).Select(c => (c.Outcome, c.PriceFen)).Should().Equal(
            (CpcChargeOutcome.Charged, 5L), (CpcChargeOutcome.RepeatFree, 0L), (CpcChargeOutcome.Charged, 5L));
    }

    // product.md, "One sale, one payment". This test replaces An_order_after_a_CPC_click_also_earns_CPS_commission,
    // which held the old rule (CPS commission on top of the paid click).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_order_won_by_a_smart_zone_ad_click_earns_no_sale_commission_whether_charged_or_a_free_repeat(bool freeRepeat)
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(100));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 40, dailyBudgetFen: 5_000);
        var zone = await world.NewSmartZoneAsync();
        var visitor = Guid.NewGuid();
        var clickId = (await world.ClickAsync((await world.ServeAsync(zone.ZoneId))!, visitor)).ClickId();
        if (freeRepeat)
        {
            app.Clock.Advance(TimeSpan.FromHours(1));
            clickId = (await world.ClickAsync((await world.ServeAsync(zone.ZoneId))!, visitor)).ClickId();
        }
        var clickedItem = (await app.ClickAsync(clickId)).ItemId;
        var cpcShare = await money.BalanceAsync(AccountRef.CpcPending(zone.Id));

        // The shopper buys in the storefront in the same browser (visitor cookie).
        using var buyer = await BrowserSession.NewBuyerAsync(app);
        buyer.SetCookie("alliance_vid", visitor.ToString("N"));
        await buyer.AddToCartAsync(clickedItem, 1);
        using var checkout = await buyer.SubmitAsync("/cart", "/cart?handler=Checkout");

        checkout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await using var db = app.NewDb();
        var order = await db.Orders.AsNoTracking().SingleAsync(o => o.ShopId == seller.ShopId && o.VisitorId == visitor);
        order.AttributedClickId.Should().Be(clickId, "the ad click still won the order: reports count the sale under it");
        order.AttributionNote.Should().Contain($"The winning click was a paid ad click (campaign {campaign}): the seller already paid for it, so no sale commission.");
        (await db.Commissions.CountAsync(c => c.OrderId == order.Id)).Should().Be(0);
        (await db.JournalEntries.CountAsync(e => e.OrderId == order.Id)).Should().Be(0, "no commission accrued");
        (await money.BalanceAsync(AccountRef.Pending(zone.Id))).Should().Be(Money.Zero);
        (await money.BalanceAsync(AccountRef.CpcPending(zone.Id))).Should().Be(cpcShare, "the webmaster keeps the CPC share, and only that");
        (await world.ChargesAsync(campaign)).OrderBy(c => c.ChargedAt).Select(c => c.Outcome).Should().Equal(
            freeRepeat ? [CpcChargeOutcome.Charged, CpcChargeOutcome.RepeatFree] : [CpcChargeOutcome.Charged]);
    }

    [Fact]
    public async Task A_tampered_token_records_and_charges_nothing_and_still_sends_the_shopper_to_the_item()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(100));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 40, dailyBudgetFen: 5_000);
        var zone = await world.NewSmartZoneAsync();
        var bytes = Base64Url.DecodeFromChars((await world.ServeAsync(zone.ZoneId))!);
        bytes[48] ^= 0x7F; // the low byte of the price
        var clicksBefore = await ClickCountAsync(zone.SiteId);

        var response = await world.ClickAsync(Base64Url.EncodeToString(bytes));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().MatchRegex(@"^/item/\d+$");
        (await world.ChargesAsync(campaign)).Should().BeEmpty();
        (await ClickCountAsync(zone.SiteId)).Should().Be(clicksBefore);
        (await world.WalletAsync(seller.SellerId)).Should().Be(Money.FromYuan(100));
    }

    [Fact]
    public async Task A_token_that_is_not_a_token_sends_the_shopper_home()
    {
        var world = await CpcWorld.CreateAsync(app);

        var response = await world.ClickAsync("not-a-real-token");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/");
    }

    [Fact]
    public async Task An_expired_token_is_recorded_as_an_invalid_click_charges_nothing_and_still_redirects()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(100));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 40, dailyBudgetFen: 5_000);
        var zone = await world.NewSmartZoneAsync();
        var token = (await world.ServeAsync(zone.ZoneId))!;
        app.Clock.Advance(TimeSpan.FromMinutes(61));

        var response = await world.ClickAsync(token);

        var click = await app.ClickAsync(response.ClickId());
        click.IsValid.Should().BeFalse();
        click.InvalidReason.Should().Be(InvalidClickReasons.CpcTokenExpired);
        (await world.ChargesAsync(campaign)).Should().BeEmpty();
        (await world.WalletAsync(seller.SellerId)).Should().Be(Money.FromYuan(100));
        (await money.BalanceAsync(AccountRef.CpcPending(zone.Id))).Should().Be(Money.Zero);
    }

    [Fact]
    public async Task A_replayed_token_is_charged_once_and_its_replays_are_recorded_as_invalid()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(100));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 40, dailyBudgetFen: 5_000);
        var zone = await world.NewSmartZoneAsync();
        var token = (await world.ServeAsync(zone.ZoneId))!;

        var first = await world.ClickAsync(token);
        var replays = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => world.ClickAsync(token)));

        (await world.ChargesAsync(campaign)).Should().ContainSingle().Which.ClickId.Should().Be(first.ClickId());
        foreach (var replay in replays)
        {
            var click = await app.ClickAsync(replay.ClickId());
            click.InvalidReason.Should().Be(InvalidClickReasons.CpcTokenReplayed);
        }
        (await world.WalletAsync(seller.SellerId)).Should().Be(Money.FromYuan(100) - new Money(5));
    }

    [Fact]
    public async Task A_bot_click_on_an_ad_is_recorded_as_invalid_and_charges_nothing()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(100));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 40, dailyBudgetFen: 5_000);
        var zone = await world.NewSmartZoneAsync();
        var token = (await world.ServeAsync(zone.ZoneId))!;
        using var bot = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        bot.DefaultRequestHeaders.UserAgent.ParseAdd("Googlebot/2.1 (+http://www.google.com/bot.html)");

        var response = await bot.GetAsync($"/z/click/{token}");

        (await app.ClickAsync(response.ClickId())).InvalidReason.Should().Be(InvalidClickReasons.BotUserAgent);
        (await world.ChargesAsync(campaign)).Should().BeEmpty();
    }

    private async Task<int> ClickCountAsync(long siteId)
    {
        await using var db = app.NewDb();
        return await db.Clicks.CountAsync(c => c.SiteId == siteId);
    }
}
