using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data.Subsidies;
using TaobaoAlliance.Web.Tests.Clicks;
using TaobaoAlliance.Web.Tests.Cpc;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;
using static TaobaoAlliance.Testing.MoneyWorld;

namespace TaobaoAlliance.Web.Tests.Areas.Admin;

/// <summary>
/// The admin's traffic economics: paid clicks and views reach the rollups through the database's triggers and the
/// impression flush, the page, its CSV and the admin API show the same figures, and the CPS fee and subsidy come from commissions.
/// </summary>
public sealed class EconomicsTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private sealed record RollupSum(long Impressions, long PaidClicks, decimal Bought, decimal Sold, decimal Margin);

    private async Task<RollupSum> RollupAsync(long campaignId)
    {
        await using var db = app.NewDb();
        var rows = await db.CpcDayZones.Where(r => r.CampaignId == campaignId).ToListAsync();
        return new(rows.Sum(r => r.Impressions), rows.Sum(r => r.PaidClicks), rows.Sum(r => r.BoughtFen), rows.Sum(r => r.SoldFen), rows.Sum(r => r.MarginFen));
    }

    /// <summary>A campaign with views and <paramref name="clicks"/> concurrent paid clicks at ¥0.10 in a new zone.</summary>
    private async Task<(CpcWorld World, long Campaign, TestWebmaster Zone)> PaidTrafficAsync(int views, int clicks)
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(100));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 50, dailyBudgetFen: 10_000);
        var zone = await world.NewSmartZoneAsync();
        for (var i = 0; i < views; i++) (await world.ServeAsync(zone.ZoneId)).Should().NotBeNull();
        await world.FlushImpressionsAsync();
        var responses = await Task.WhenAll(world.Tickets(campaign, zone.ZoneId, seller.ItemIds[0], priceFen: 10, count: clicks).Select(t => world.ClickAsync(t)));
        responses.Should().AllSatisfy(r => r.StatusCode.Should().Be(HttpStatusCode.Redirect));
        return (world, campaign, zone);
    }

    [Fact]
    public async Task Concurrent_paid_clicks_and_flushed_views_add_up_in_the_rollup_exactly()
    {
        var (world, campaign, _) = await PaidTrafficAsync(views: 4, clicks: 40);

        // 40 × ¥0.10 sold, the webmaster's 50 % bought, the rest kept; the views once each, whichever shard took them.
        (await RollupAsync(campaign)).Should().Be(new RollupSum(4, 40, 200, 400, 200));
        (await world.ChargesAsync(campaign)).Sum(c => c.PriceFen).Should().Be(400, "the rollup says what cpc_charges says");
    }

    [Fact]
    public async Task A_rebuild_from_scratch_gives_the_paid_clicks_the_trigger_kept()
    {
        var (_, campaign, _) = await PaidTrafficAsync(views: 2, clicks: 7);
        var kept = await RollupAsync(campaign);

        await using (var db = app.NewDb()) await db.Database.ExecuteSqlRawAsync("SELECT rebuild_economics_rollups()");

        (await RollupAsync(campaign)).Should().Be(kept);
        kept.PaidClicks.Should().Be(7);
    }

    [Fact]
    public async Task The_page_drills_from_site_to_zone_to_campaign_and_the_csv_is_the_table()
    {
        var (_, campaign, zone) = await PaidTrafficAsync(views: 3, clicks: 5);
        using var admin = await AdminAsync(app);

        var sites = await admin.PageAsync("/Admin/Economics?group=site");
        sites.Should().Contain($"group=zone&amp;site={zone.SiteId}", "a site row opens the site's zones");
        var zones = await admin.PageAsync($"/Admin/Economics?group=zone&site={zone.SiteId}");
        zones.Should().Contain($"group=campaign&amp;zone={zone.ZoneId}", "a zone row opens the zone's campaigns");
        var campaigns = await admin.PageAsync($"/Admin/Economics?group=campaign&zone={zone.ZoneId}");
        var row = Row(campaigns, campaign);
        row.Should().Equal("3", "5", "¥0.25", "¥0.50", "¥0.25", "50.00%", "—", "—");

        using var csv = await admin.GetAsync($"/Admin/Economics?handler=Csv&group=campaign&zone={zone.ZoneId}");
        csv.StatusCode.Should().Be(HttpStatusCode.OK);
        var lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("Campaign,Impressions,Paid clicks,Bought (webmaster share),Sold (seller price),Margin,Margin rate,CPS fee,Subsidy cost");
        lines.Should().HaveCount(3, "the header, the one campaign and the total, as on the page");
        lines[1].Should().EndWith(",3,5,0.25,0.50,0.25,50.00%,,");
        lines[2].Should().Be("Total,3,5,0.25,0.50,0.25,50.00%,,");
    }

    [Fact]
    public async Task Cps_fee_and_subsidy_cost_show_per_site_at_what_the_commissions_are_worth_now()
    {
        var world = new MoneyWorld(app);
        var cpc = await CpcWorld.CreateAsync(app);
        var seller = await cpc.NewSellerAsync(Money.Zero);
        await using (var db = app.NewDb())
        {
            db.SubsidyProgrammes.Add(new SubsidyProgramme
            {
                Name = "Test boost", BonusBp = 1_000, StartsAt = world.Now.AddDays(-1), EndsAt = world.Now.AddDays(1), CapFen = 100_000, CategoryId = cpc.CategoryId,
            });
            await db.SaveChangesAsync();
        }
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, seller.ItemIds[0], world.Now.AddMinutes(-5));
        var order = NewOrderId();
        // ¥200 at 5 % = ¥10 commission: ¥1 fee, ¥9 share, +10 % = ¥0.90 subsidy.
        await world.ProcessAsync(Paid(seller.ShopId, order, world.Now, visitor, Line(seller.ItemIds[0], 2, 20_000)));
        using var admin = await AdminAsync(app);

        SiteRow(await admin.PageAsync("/Admin/Economics?group=site"), webmaster.SiteId).Should().Equal("0", "0", "¥0.00", "¥0.00", "¥0.00", "—", "¥1.00", "¥0.90");

        await world.ProcessAsync(Refunded(seller.ShopId, order, world.Now.AddMinutes(1), Line(seller.ItemIds[0], 1, 10_000)));

        SiteRow(await admin.PageAsync("/Admin/Economics?group=site"), webmaster.SiteId).Should().Equal("0", "0", "¥0.00", "¥0.00", "¥0.00", "—", "¥0.50", "¥0.45");
    }

    [Fact]
    public async Task The_admin_api_gives_the_figures_of_the_page_and_only_to_an_admin()
    {
        var (_, campaign, zone) = await PaidTrafficAsync(views: 1, clicks: 3);
        using var admin = await AdminAsync(app);

        using var response = await admin.GetAsync($"/api/v1/admin/economics?group=campaign&zone={zone.ZoneId}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var row = body.GetProperty("rows").EnumerateArray().Single();
        row.GetProperty("key").GetInt64().Should().Be(campaign);
        var metrics = row.GetProperty("metrics");
        (metrics.GetProperty("impressions").GetInt64(), metrics.GetProperty("paidClicks").GetInt64(), metrics.GetProperty("boughtFen").GetInt64(),
            metrics.GetProperty("soldFen").GetInt64(), metrics.GetProperty("marginFen").GetInt64()).Should().Be((1L, 3L, 15L, 30L, 15L));
        metrics.GetProperty("cpsFeeFen").ValueKind.Should().Be(JsonValueKind.Null, "commissions are not known per zone");

        using var bad = await admin.GetAsync("/api/v1/admin/economics?group=nonsense");
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        bad.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");

        using var anonymous = app.Shopper();
        (await anonymous.GetAsync("/api/v1/admin/economics")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var webmaster = await app.NewWebmasterAsync();
        (await webmaster.Browser.GetAsync("/api/v1/admin/economics")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await webmaster.Browser.GetAsync("/Admin/Economics")).StatusCode.Should().NotBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_bad_period_is_a_form_message_on_the_page_and_a_problem_for_the_csv()
    {
        using var admin = await AdminAsync(app);

        (await admin.PageAsync("/Admin/Economics?from=2026-10-10&to=2026-10-01")).Should().Contain("The end date must be on or after the start date.");
        using var csv = await admin.GetAsync("/Admin/Economics?handler=Csv&from=2026-10-10&to=2026-10-01");
        csv.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        csv.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    /// <summary>The cells after the label of the row with <paramref name="key"/>.</summary>
    private static List<string> Row(string html, long key)
    {
        var start = html.IndexOf($"data-key=\"{key}\"", StringComparison.Ordinal);
        start.Should().BePositive($"the table has a row {key}");
        var row = html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
        return System.Text.RegularExpressions.Regex.Matches(row, "<td[^>]*>([^<]*)</td>").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
    }

    private static List<string> SiteRow(string html, long siteId) => Row(html, siteId);
}
