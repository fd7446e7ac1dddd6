using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Data.Notifications;
using TaobaoAlliance.Web.Tests.Cpc;

namespace TaobaoAlliance.Web.Tests.Notifications;

/// <summary>The app with the wallet's low mark at ¥0.50, so a ¥1.00 wallet crosses it in two clicks.</summary>
public sealed class LowWalletApp : AllianceApp
{
    public LowWalletApp() => Settings = new Dictionary<string, string?> { ["Notifications:WalletLowFen"] = "50" };
}

/// <summary>What paid clicks tell the seller: once when the wallet crosses its low mark, once a day when a campaign stops for want of money.</summary>
public sealed class CpcNotificationTests(LowWalletApp app) : IClassFixture<LowWalletApp>
{
    [Fact]
    public async Task A_draining_wallet_tells_the_seller_once_it_is_low_and_once_the_campaign_stopped_not_per_click()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(1.00m));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 30, dailyBudgetFen: 10_000);
        var zone = await world.NewSmartZoneAsync();

        // One at a time, so each click is its own batch: ¥1.00 → 0.70 → 0.40 (below ¥0.50) → 0.10, then five refused.
        foreach (var token in world.Tickets(campaign, zone.ZoneId, seller.ItemIds[0], priceFen: 30, count: 8)) await world.ClickAsync(token);

        (await world.ChargesAsync(campaign)).Count(c => c.Outcome == CpcChargeOutcome.WalletEmpty).Should().Be(5);
        await using var db = app.NewDb();
        var userId = await db.Sellers.Where(s => s.Id == seller.SellerId).Select(s => s.UserId).SingleAsync();
        var notices = await db.Notifications.AsNoTracking().Where(n => n.UserId == userId).OrderBy(n => n.Id).ToListAsync();
        notices.Select(n => n.Kind).Should().Equal([NotificationKind.WalletLow, NotificationKind.CampaignStopped],
            "the low mark is crossed once, and five refused clicks stop the campaign once");
        notices[0].Arguments.Should().Contain("\"balanceFen\": 40").And.Contain("\"thresholdFen\": 50");
        notices[1].Arguments.Should().Contain("\"reason\": \"WalletEmpty\"");
    }
}
