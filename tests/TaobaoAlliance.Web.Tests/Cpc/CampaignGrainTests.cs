using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using TaobaoAlliance.Application.Cpc;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data.Cpc;

namespace TaobaoAlliance.Web.Tests.Cpc;

/// <summary>
/// The campaign grain decides a campaign's clicks in memory and commits them in batches: budgets and wallets stay
/// exact under thousands of concurrent clicks, and an activation that goes away loses nothing it acknowledged.
/// </summary>
public sealed class CampaignGrainTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task Two_thousand_concurrent_clicks_on_a_budget_of_exactly_37_clicks_charge_exactly_37_and_the_ledger_agrees()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(1_000));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 50, dailyBudgetFen: 37 * 5);
        var zone = await world.NewSmartZoneAsync();
        var tokens = world.Tickets(campaign, zone.ZoneId, seller.ItemIds[0], priceFen: 5, count: 2_000);
        var walletBefore = await world.WalletAsync(seller.SellerId);

        var responses = await Task.WhenAll(tokens.Select(t => world.ClickAsync(t)));

        responses.Should().AllSatisfy(r => r.StatusCode.Should().Be(HttpStatusCode.Redirect));
        var charges = await world.ChargesAsync(campaign);
        charges.Should().HaveCount(2_000, "every click is recorded with what it cost");
        charges.Count(c => c.Outcome == CpcChargeOutcome.Charged).Should().Be(37);
        charges.Where(c => c.Outcome != CpcChargeOutcome.Charged).Should().AllSatisfy(c =>
        {
            c.Outcome.Should().Be(CpcChargeOutcome.OverBudget);
            c.PriceFen.Should().Be(0);
        });
        (walletBefore - await world.WalletAsync(seller.SellerId)).Should().Be(new Money(185));
        await using var db = app.NewDb();
        var spend = await db.CampaignDailySpends.SingleAsync(s => s.CampaignId == campaign);
        (spend.SpentFen, spend.Clicks).Should().Be((185L, 2_000));
        (await db.Campaigns.SingleAsync(c => c.Id == campaign)).Clicks.Should().Be(37, "only paid clicks feed the quality score");
        // A batch's entry is named by its first charged impression: the campaign's entries are exactly those named by its charged clicks.
        var keys = charges.Where(c => c.Outcome == CpcChargeOutcome.Charged).Select(c => $"cpc:{c.ImpressionId:N}").ToList();
        var entries = await db.JournalEntries.Where(e => keys.Contains(e.IdempotencyKey)).Select(e => e.Id).ToListAsync();
        entries.Should().NotBeEmpty().And.HaveCountLessThanOrEqualTo(37, "one ledger entry per charged batch, none for a batch without a charge");
        (await db.JournalLines.Where(l => entries.Contains(l.EntryId) && l.AmountFen < 0).SumAsync(l => l.AmountFen)).Should().Be(-185);
        (await db.JournalLines.Where(l => entries.Contains(l.EntryId)).SumAsync(l => l.AmountFen)).Should().Be(0);
        (await world.ClickRowsAsync(campaign)).Should().Be(2_000);
    }

    [Fact]
    public async Task A_wallet_of_one_yuan_shared_by_two_campaigns_pays_exactly_one_yuan_under_concurrent_clicks()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(1.00m));
        var first = await world.NewCampaignAsync(seller, bidFen: 10, dailyBudgetFen: 10_000);
        var second = await world.NewCampaignAsync(seller, bidFen: 10, dailyBudgetFen: 10_000);
        var zone = await world.NewSmartZoneAsync();
        var tokens = world.Tickets(first, zone.ZoneId, seller.ItemIds[0], priceFen: 10, count: 30)
            .Concat(world.Tickets(second, zone.ZoneId, seller.ItemIds[1], priceFen: 10, count: 30)).ToList();

        await Task.WhenAll(tokens.Select(t => world.ClickAsync(t)));

        var charges = (await world.ChargesAsync(first)).Concat(await world.ChargesAsync(second)).ToList();
        charges.Should().HaveCount(60);
        charges.Count(c => c.Outcome == CpcChargeOutcome.Charged).Should().Be(10, "¥1.00 pays ten clicks at ¥0.10, whichever campaign they are on");
        charges.Count(c => c.Outcome == CpcChargeOutcome.WalletEmpty).Should().Be(50);
        (await world.WalletAsync(seller.SellerId)).Should().Be(Money.Zero, "the wallet pays exactly what it holds, never a fen more");
    }

    [Fact]
    public async Task A_paid_click_keeps_the_sub_ids_of_its_click_url_on_its_click_row()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(10));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 50, dailyBudgetFen: 1_000);
        var zone = await world.NewSmartZoneAsync();
        var token = world.Tickets(campaign, zone.ZoneId, seller.ItemIds[0], priceFen: 5, count: 1)[0];

        using var response = await world.ClickAsync(token, query: "?sub1=zone%20tag&sub2=a%26b&sub5=v2");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await world.ChargesAsync(campaign)).Should().ContainSingle().Which.Outcome.Should().Be(CpcChargeOutcome.Charged);
        await using var db = app.NewDb();
        var row = await db.Clicks.SingleAsync(c => c.CampaignId == campaign);
        (row.Sub1, row.Sub2, row.Sub3, row.Sub4, row.Sub5).Should().Be(("zone tag", "a&b", (string?)null, (string?)null, "v2"),
            "the grain writes the paid click's row: the sub-ids must travel with it");
    }

    [Fact]
    public void A_click_and_its_result_cross_between_nodes_intact()
    {
        // Grains of one silo are called without serializing; across nodes every field must survive the wire.
        var serializer = app.Services.GetRequiredService<Orleans.Serialization.Serializer>();
        var click = new PaidClick(Guid.CreateVersion7(), app.Clock.GetUtcNow(), 1, 2, 3, 4, 5, Guid.NewGuid(), [1, 2, 3], "UA", null, 500, 300, Guid.NewGuid(), 37,
            "s1", "s2", null, "s4", "s5");
        var result = new CampaignChargeResult(CampaignChargeStatus.Decided, CpcChargeOutcome.RepeatFree, 0, 0);

        var clickBack = serializer.Deserialize<PaidClick>(serializer.SerializeToArray(click));
        serializer.Deserialize<CampaignChargeResult>(serializer.SerializeToArray(result)).Should().Be(result);
        clickBack.Should().BeEquivalentTo(click);
    }

    [Fact]
    public async Task A_campaign_grain_deactivated_mid_run_comes_back_from_PostgreSQL_without_overspending_or_losing_an_acknowledged_click()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(1_000));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 50, dailyBudgetFen: 37 * 5);
        var zone = await world.NewSmartZoneAsync();
        var grain = app.Services.GetRequiredService<IGrainFactory>().GetGrain<ICampaignGrain>(campaign);
        // A clicker charged by the first activation: the next one must know it from the database alone.
        var regular = Guid.NewGuid();
        (await world.ClickAsync(world.Tickets(campaign, zone.ZoneId, seller.ItemIds[0], priceFen: 5, count: 1)[0], visitor: regular))
            .StatusCode.Should().Be(HttpStatusCode.Redirect);
        await grain.DeactivateAsync();
        var repeat = await world.ClickAsync(world.Tickets(campaign, zone.ZoneId, seller.ItemIds[0], priceFen: 5, count: 1)[0], visitor: regular);

        var tokens = world.Tickets(campaign, zone.ZoneId, seller.ItemIds[0], priceFen: 5, count: 600);
        var clicks = new List<Task<HttpResponseMessage>>();
        for (var wave = 0; wave < 6; wave++)
        {
            clicks.AddRange(tokens.Skip(wave * 100).Take(100).Select(t => world.ClickAsync(t)));
            await grain.DeactivateAsync(); // while the wave's clicks are queued and being written
        }
        var responses = await Task.WhenAll(clicks);

        repeat.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var charges = await world.ChargesAsync(campaign);
        charges.Should().HaveCount(602);
        charges.Count(c => c.Outcome == CpcChargeOutcome.RepeatFree).Should().Be(1, "the rebuilt grain read who was charged from PostgreSQL");
        charges.Count(c => c.Outcome == CpcChargeOutcome.Charged).Should().Be(37, "no activation overspends the day's budget");
        (await world.WalletAsync(seller.SellerId)).Should().Be(Money.FromYuan(1_000) - new Money(185));
        var acknowledged = responses.Append(repeat).Select(r => Guid.Parse(r.Headers.Location!.OriginalString.Split("alliance_click=")[1])).ToHashSet();
        acknowledged.Should().HaveCount(601);
        charges.Select(c => c.ClickId).Should().Contain(acknowledged, "a click answered with its id is committed with its charge");
    }
}
