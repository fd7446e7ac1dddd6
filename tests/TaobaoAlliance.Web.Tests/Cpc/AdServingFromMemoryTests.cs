using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Application.Cpc;
using TaobaoAlliance.Attribution;

namespace TaobaoAlliance.Web.Tests.Cpc;

/// <summary>
/// The auction answers from memory (AdCampaigns): what another node or plain SQL changes still reaches it — the
/// campaigns through PostgreSQL's notifications, spend and wallets through the periodic refresh.
/// </summary>
public sealed class AdServingFromMemoryTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task A_campaign_paused_and_resumed_by_plain_SQL_leaves_and_rejoins_the_auction()
    {
        var world = await CpcWorld.CreateAsync(app);
        var campaign = await world.NewCampaignAsync(await world.NewSellerAsync(Money.FromYuan(10)), bidFen: 20, dailyBudgetFen: 1_000);
        var zone = await world.NewSmartZoneAsync();
        (await world.ServeAsync(zone.ZoneId)).Should().NotBeNull("the book is read and kept");

        await SetStateAsync(campaign, "Paused");
        await CaughtUpAsync();
        (await world.ServeAsync(zone.ZoneId)).Should().BeNull("the notification dropped the kept book");

        await SetStateAsync(campaign, "Active");
        await CaughtUpAsync();
        (await world.ServeAsync(zone.ZoneId)).Should().NotBeNull();
    }

    [Fact]
    public async Task A_budget_spent_on_another_node_stops_the_campaign_within_a_refresh()
    {
        var world = await CpcWorld.CreateAsync(app);
        var campaign = await world.NewCampaignAsync(await world.NewSellerAsync(Money.FromYuan(10)), bidFen: 20, dailyBudgetFen: 1_000);
        var zone = await world.NewSmartZoneAsync();
        (await world.ServeAsync(zone.ZoneId)).Should().NotBeNull();

        // What another node's charges leave behind: the day's spend row, with less than a bid left. No notification.
        await using (var db = app.NewDb())
        {
            var today = ChinaTime.Today(app.Clock);
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO campaign_daily_spends (campaign_id, day, spent_fen, budget_fen, clicks) VALUES ({campaign}, {today}, 990, 1000, 50)");
        }

        // The refresh is a second by default; serving goes on meanwhile, from the state read before.
        var served = true;
        for (var i = 0; i < 100 && served; i++)
        {
            await Task.Delay(50);
            served = await world.ServeAsync(zone.ZoneId) is not null;
        }
        served.Should().BeFalse("the state is read again once it is older than Cpc:AdStateRefreshMilliseconds");
    }

    private async Task SetStateAsync(long campaignId, string state)
    {
        await using var db = app.NewDb();
        await db.Database.ExecuteSqlAsync($"UPDATE campaigns SET state = {state} WHERE id = {campaignId}");
    }

    /// <summary>Waits until the app has heard a notification sent after the change: then the change is in force.</summary>
    private async Task CaughtUpAsync()
    {
        var campaigns = app.Services.GetRequiredService<AdCampaigns>();
        var barrier = "test-" + Guid.NewGuid().ToString("N");
        await using (var db = app.NewDb()) await db.Database.ExecuteSqlAsync($"SELECT pg_notify('ad_campaigns', {barrier})");
        for (var i = 0; i < 400 && campaigns.LastHeard != barrier; i++) await Task.Delay(25);
        campaigns.LastHeard.Should().Be(barrier, "the app hears the database's notifications");
    }
}
