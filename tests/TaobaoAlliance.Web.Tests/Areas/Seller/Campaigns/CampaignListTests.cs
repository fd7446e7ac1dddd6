using System.Net;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Sites;

namespace TaobaoAlliance.Web.Tests.Areas.Seller.Campaigns;

/// <summary>The campaign list: today's spend, pause and resume, and nobody else's campaigns.</summary>
public sealed class CampaignListTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private static string Pause(long id) => $"/Seller/Campaigns?id={id}&handler=Pause";

    private static string Resume(long id) => $"/Seller/Campaigns?id={id}&handler=Resume";

    private async Task<Campaign> ReadAsync(long id)
    {
        await using var db = app.NewDb();
        return await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == id);
    }

    [Fact]
    public async Task A_seller_pauses_and_resumes_a_campaign_and_each_change_is_audited()
    {
        using var seller = await app.DemoSellerAsync(1);
        var campaign = await app.AddCampaignAsync(2);

        using var paused = await seller.PostAsync(Pause(campaign.Id), [], tokenPage: "/Seller/Campaigns");

        paused.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await ReadAsync(campaign.Id)).State.Should().Be(CampaignState.Paused);
        var list = await seller.PageAsync("/Seller/Campaigns");
        list.Should().Contain($"data-campaign-id=\"{campaign.Id}\" data-state=\"Paused\"");
        BrowserSession.Forms(list).Select(f => f.Action).Should().Contain(a => a.Contains($"id={campaign.Id}", StringComparison.Ordinal) && a.Contains("handler=Resume", StringComparison.Ordinal));
        PageText.Text(list).Should().Contain($"Campaign “{campaign.Name}” paused");

        using var resumed = await seller.PostAsync(Resume(campaign.Id), [], tokenPage: "/Seller/Campaigns");

        resumed.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await ReadAsync(campaign.Id)).State.Should().Be(CampaignState.Active);
        await using var db = app.NewDb();
        var actions = await db.AuditLog.Where(a => a.EntityType == "campaign" && a.EntityId == campaign.Id.ToString()).OrderBy(a => a.Id)
            .Select(a => a.Action).ToListAsync();
        actions.Should().Equal("campaign.pause", "campaign.resume");
    }

    [Fact]
    public async Task Another_sellers_campaign_is_not_found_and_stays_as_it_was()
    {
        using var other = await app.DemoSellerAsync(2);
        var campaign = await app.AddCampaignAsync(1, bidFen: 30, budgetFen: 1000);
        await using var db = app.NewDb();
        var auditBefore = await db.AuditLog.CountAsync();

        using var pause = await other.PostAsync(Pause(campaign.Id), [], tokenPage: "/Seller/Campaigns");
        using var edit = await other.GetAsync($"/Seller/Campaigns/Edit/{campaign.Id}");
        var items = await app.ListedItemsAsync(1, 1);
        using var save = await other.PostCampaignAsync(new CampaignForm(1, "Hijacked", items, "1", "99", [3], "2026-11-01T16:00"), campaign.Id);
        using var advise = await other.PostCampaignAsync(new CampaignForm(1, "Hijacked", items, "1", "99", [3], "2026-11-01T16:00"), campaign.Id, "Advise");

        pause.StatusCode.Should().Be(HttpStatusCode.NotFound);
        edit.StatusCode.Should().Be(HttpStatusCode.NotFound);
        save.StatusCode.Should().Be(HttpStatusCode.NotFound);
        advise.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await ReadAsync(campaign.Id)).Should().BeEquivalentTo(new { State = CampaignState.Active, campaign.Name, BidFen = 30L, DailyBudgetFen = 1000L });
        (await db.AuditLog.CountAsync()).Should().Be(auditBefore);
        (await other.PageAsync("/Seller/Campaigns")).Should().NotContain($"data-campaign-id=\"{campaign.Id}\"");
    }

    [Fact]
    public async Task Todays_spend_is_shown_against_todays_budget()
    {
        using var seller = await app.DemoSellerAsync(1);
        var campaign = await app.AddCampaignAsync(3, bidFen: 50, budgetFen: 2000);
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
        await using (var db = app.NewDb())
        {
            db.CampaignDailySpends.Add(new CampaignDailySpend { CampaignId = campaign.Id, Day = today, SpentFen = 1500, BudgetFen = 2000, Clicks = 30 });
            db.CampaignDailySpends.Add(new CampaignDailySpend { CampaignId = campaign.Id, Day = today.AddDays(-1), SpentFen = 2000, BudgetFen = 2000, Clicks = 40 });
            var tracked = await db.Campaigns.SingleAsync(c => c.Id == campaign.Id);
            tracked.Impressions = 1000;
            tracked.Clicks = 70;
            await db.SaveChangesAsync();
        }

        var html = await seller.PageAsync("/Seller/Campaigns");

        html.Should().Contain("<progress class=\"campaign-progress\" max=\"2000\" value=\"1500\"");
        PageText.Text(html).Should().Contain("¥15.00 / ¥20.00").And.Contain("7.00 %");
    }

    [Fact]
    public async Task A_seller_without_campaigns_is_led_to_create_one()
    {
        using var seller = new BrowserSession(app);
        var email = $"seller-{Guid.NewGuid():N}@example.test";
        await seller.SignUpAsync(email, "Seller!pass1", "Seller");
        var withoutShop = await seller.PageAsync("/Seller/Campaigns");
        await using (var db = app.NewDb())
        {
            var sellerId = await db.Sellers.Where(s => s.User.Email == email).Select(s => s.Id).SingleAsync();
            var tag = Guid.NewGuid().ToString("N")[..8];
            db.Shops.Add(new TaobaoAlliance.Data.Catalog.Shop { SellerId = sellerId, Slug = "shop-" + tag, NameZh = "店 " + tag, NameEn = "Shop " + tag, CreatedAt = app.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }

        var withShop = await seller.PageAsync("/Seller/Campaigns");

        withoutShop.Should().Contain("campaigns-empty").And.NotContain("href=\"/Seller/Campaigns/Edit\"");
        PageText.Text(withoutShop).Should().Contain("Create a shop and list items first");
        withShop.Should().Contain("campaigns-empty").And.Contain("href=\"/Seller/Campaigns/Edit\"");
        PageText.Text(withShop).Should().Contain("Create your first campaign");
    }
}
