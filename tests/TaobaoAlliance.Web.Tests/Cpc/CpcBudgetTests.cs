using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Data.Cpc;

namespace TaobaoAlliance.Web.Tests.Cpc;

/// <summary>Never overspend: concurrent clicks against a day's budget and against a seller's wallet.</summary>
public sealed class CpcBudgetTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task Two_hundred_concurrent_clicks_against_a_budget_of_exactly_37_clicks_charge_exactly_37()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(1_000));
        // Alone in its auction, the campaign pays the reserve (5 fen) a click: a budget of 185 fen is 37 clicks.
        var campaign = await world.NewCampaignAsync(seller, bidFen: 50, dailyBudgetFen: 37 * 5);
        var zone = await world.NewSmartZoneAsync();
        var tokens = new List<string>();
        for (var i = 0; i < 200; i++) tokens.Add((await world.ServeAsync(zone.ZoneId))!);
        var walletBefore = await world.WalletAsync(seller.SellerId);

        var responses = await Task.WhenAll(tokens.Select(t => world.ClickAsync(t)));

        responses.Should().AllSatisfy(r => r.StatusCode.Should().Be(HttpStatusCode.Redirect));
        var charges = await world.ChargesAsync(campaign);
        charges.Should().HaveCount(200, "every click is recorded with what it cost");
        charges.Count(c => c.Outcome == CpcChargeOutcome.Charged).Should().Be(37);
        charges.Sum(c => c.PriceFen).Should().Be(185);
        charges.Where(c => c.Outcome != CpcChargeOutcome.Charged).Should().AllSatisfy(c =>
        {
            c.Outcome.Should().Be(CpcChargeOutcome.OverBudget);
            c.PriceFen.Should().Be(0);
        });
        (walletBefore - await world.WalletAsync(seller.SellerId)).Should().Be(new Money(185));
        await using var db = app.NewDb();
        (await db.CampaignDailySpends.SingleAsync(s => s.CampaignId == campaign)).SpentFen.Should().Be(185);
        (await world.ServeAsync(zone.ZoneId)).Should().BeNull("a campaign that has spent its day's budget is no longer served");
    }

    [Fact]
    public async Task A_wallet_of_one_yuan_pays_three_clicks_at_thirty_fen_and_never_a_fourth()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(1.00m));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 30, dailyBudgetFen: 10_000);
        var zone = await world.NewSmartZoneAsync();
        var itemId = seller.ItemIds[0];
        // Tickets at exactly 30 fen, signed with the app's key as the ad server would sign them (an auction's price
        // drifts with the campaign's growing impression count, and this test is about the wallet, not the auction).
        var signer = app.Services.GetRequiredService<ClickTokens>();
        var tokens = Enumerable.Range(0, 8).Select(_ => signer.Issue(
            new ClickTicket(campaign, zone.ZoneId, itemId, Guid.CreateVersion7(), new Money(30), world.Now.AddMinutes(30)))).ToList();

        await Task.WhenAll(tokens.Select(t => world.ClickAsync(t)));

        var charges = await world.ChargesAsync(campaign);
        charges.Count(c => c.Outcome == CpcChargeOutcome.Charged).Should().Be(3);
        charges.Count(c => c.Outcome == CpcChargeOutcome.WalletEmpty).Should().Be(5);
        (await world.WalletAsync(seller.SellerId)).Should().Be(new Money(10), "¥1.00 − 3 × ¥0.30; the wallet never goes below zero");
        (await world.ServeAsync(zone.ZoneId)).Should().BeNull("a wallet that cannot pay the bid takes the campaign out of the auction");
    }
}
