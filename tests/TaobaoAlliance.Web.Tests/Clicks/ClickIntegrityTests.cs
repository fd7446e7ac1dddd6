using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Web.Tests.Cpc;

namespace TaobaoAlliance.Web.Tests.Clicks;

/// <summary>
/// The clicks table has no foreign keys (a lean fact table: none checked per inserted row), so this holds what
/// they held: every click the app writes — short link, long link, smart-zone ad — names rows that exist, and
/// the ones that belong together (the zone's site, the site's webmaster, the item's shop).
/// </summary>
public sealed class ClickIntegrityTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task Every_click_names_its_link_zone_site_webmaster_item_shop_and_campaign_as_they_are()
    {
        var link = await app.NewLinkAsync();
        using var shopper = app.Shopper();
        (await shopper.GetAsync($"/c/{link.Code}")).ClickId();
        (await shopper.GetAsync($"/c?pid={link.Pid}&item=15")).ClickId();
        var world = await CpcWorld.CreateAsync(app);
        await world.NewCampaignAsync(await world.NewSellerAsync(Money.FromYuan(10)), bidFen: 20, dailyBudgetFen: 1_000);
        var zone = await world.NewSmartZoneAsync();
        (await world.ClickAsync((await world.ServeAsync(zone.ZoneId))!)).ClickId();

        await using var db = app.NewDb();
        var clicks = await db.Clicks.CountAsync();
        var consistent = await db.Database.SqlQuery<int>($"""
            SELECT count(*)::int AS "Value"
            FROM clicks c
            JOIN ad_zones z ON z.id = c.zone_id AND z.site_id = c.site_id
            JOIN sites s ON s.id = c.site_id AND s.webmaster_id = c.webmaster_id
            JOIN webmasters w ON w.id = c.webmaster_id
            JOIN items i ON i.id = c.item_id AND i.shop_id = c.shop_id
            WHERE (c.link_id IS NULL OR EXISTS (SELECT 1 FROM links l WHERE l.id = c.link_id AND l.zone_id = c.zone_id AND l.item_id = c.item_id))
              AND (c.campaign_id IS NULL OR EXISTS (SELECT 1 FROM campaigns k WHERE k.id = c.campaign_id AND k.shop_id = c.shop_id))
            """).SingleAsync();

        clicks.Should().BeGreaterThanOrEqualTo(3);
        consistent.Should().Be(clicks, "every click joins the rows it names");
    }
}
