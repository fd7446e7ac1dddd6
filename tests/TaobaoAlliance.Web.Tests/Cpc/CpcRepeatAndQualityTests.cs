using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data.Cpc;

namespace TaobaoAlliance.Web.Tests.Cpc;

/// <summary>
/// Who counts as the same clicker for the free-repeat rule, and which clicks feed a campaign's quality
/// (product.md, "CPC auction" and "Quality counts real clicks").
/// </summary>
public sealed class CpcRepeatAndQualityTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    [Fact]
    public async Task A_client_without_cookies_clicking_again_from_the_same_address_and_browser_is_a_free_repeat()
    {
        var world = await CpcWorld.CreateAsync(app);
        var campaign = await world.NewCampaignAsync(await world.NewSellerAsync(Money.FromYuan(100)), bidFen: 40, dailyBudgetFen: 5_000);
        var zone = await world.NewSmartZoneAsync();
        var ip = TestClientAddress.Fresh();

        // No visitor cookie is sent: each click looks like a new visitor, as a cookie-less script's would.
        for (var i = 0; i < 3; i++)
        {
            await world.ClickAsync((await world.ServeAsync(zone.ZoneId))!, ip: ip);
            app.Clock.Advance(TimeSpan.FromMinutes(7));
        }

        (await world.ChargesAsync(campaign)).OrderBy(c => c.ChargedAt).Select(c => c.Outcome).Should().Equal(
            CpcChargeOutcome.Charged, CpcChargeOutcome.RepeatFree, CpcChargeOutcome.RepeatFree);
    }

    [Fact]
    public async Task Another_browser_behind_the_same_address_is_another_clicker_and_pays()
    {
        var world = await CpcWorld.CreateAsync(app);
        var campaign = await world.NewCampaignAsync(await world.NewSellerAsync(Money.FromYuan(100)), bidFen: 40, dailyBudgetFen: 5_000);
        var zone = await world.NewSmartZoneAsync();
        var ip = TestClientAddress.Fresh();

        await world.ClickAsync((await world.ServeAsync(zone.ZoneId))!, ip: ip);
        await world.ClickAsync((await world.ServeAsync(zone.ZoneId))!, ip: ip, userAgent: Firefox);

        (await world.ChargesAsync(campaign)).Select(c => c.Outcome).Should().Equal(CpcChargeOutcome.Charged, CpcChargeOutcome.Charged);
    }

    [Fact]
    public async Task The_same_address_and_browser_pays_again_once_the_repeat_window_has_passed()
    {
        var world = await CpcWorld.CreateAsync(app);
        var campaign = await world.NewCampaignAsync(await world.NewSellerAsync(Money.FromYuan(100)), bidFen: 40, dailyBudgetFen: 5_000);
        var zone = await world.NewSmartZoneAsync();
        var ip = TestClientAddress.Fresh();

        await world.ClickAsync((await world.ServeAsync(zone.ZoneId))!, ip: ip);
        app.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await world.ClickAsync((await world.ServeAsync(zone.ZoneId))!, ip: ip);

        (await world.ChargesAsync(campaign)).Select(c => c.Outcome).Should().Equal(CpcChargeOutcome.Charged, CpcChargeOutcome.Charged);
    }

    [Fact]
    public async Task Only_charged_clicks_count_towards_quality_not_free_repeats_or_invalid_clicks()
    {
        var world = await CpcWorld.CreateAsync(app);
        var campaignId = await world.NewCampaignAsync(await world.NewSellerAsync(Money.FromYuan(100)), bidFen: 40, dailyBudgetFen: 5_000);
        var zone = await world.NewSmartZoneAsync();
        var visitor = Guid.NewGuid();

        await world.ClickAsync((await world.ServeAsync(zone.ZoneId))!, visitor); // charged
        await world.ClickAsync((await world.ServeAsync(zone.ZoneId))!, visitor); // free repeat
        var expired = (await world.ServeAsync(zone.ZoneId))!;
        app.Clock.Advance(TimeSpan.FromMinutes(61));
        await world.ClickAsync(expired); // invalid: its token expired

        (await world.ChargesAsync(campaignId)).Select(c => c.Outcome).Should().Equal(CpcChargeOutcome.Charged, CpcChargeOutcome.RepeatFree);
        await world.FlushImpressionsAsync();
        await using var db = app.NewDb();
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == campaignId);
        (campaign.Impressions, campaign.Clicks).Should().Be((3L, 1L), "the auction's click-through rate is charged clicks over impressions");
    }
}
