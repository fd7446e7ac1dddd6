using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Application.Cpc;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Web.Tests.Cpc;

/// <summary>
/// A batch decided on a guess (the budget and wallet as last committed, less what the batches beside it spend) writes
/// nothing when the guess would refuse a click for money or is refuted under the locks at the end of its transaction;
/// the same batch decided exactly then gets the truth. The grain's concurrency tests show the sum; these show each case.
/// </summary>
public sealed class CampaignChargeGuessTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task A_guess_that_would_refuse_a_click_for_money_writes_nothing_and_the_exact_batch_charges_it()
    {
        var (world, seller, campaign, clicks) = await ArrangeAsync(walletFen: 100, count: 2);
        // The batch beside it has decided 95 fen: the guess leaves 5, less than one click's 10.
        var beside = new ChargeFlight(new HashSet<Guid>()) { Spent = new Money(95) };

        var guess = () => WriteAsync(campaign, clicks, ChargeMode.Guessed, [beside]);

        (await guess.Should().ThrowAsync<ChargeGuessFailedException>()).Which.Learned.Should().BeNull();
        (await world.ClickRowsAsync(campaign)).Should().Be(0, "a failed guess writes no click row");
        (await world.ChargesAsync(campaign)).Should().BeEmpty();

        var results = await WriteAsync(campaign, clicks, ChargeMode.Exact, []);

        results.Select(r => r.Outcome).Should().Equal(CpcChargeOutcome.Charged, CpcChargeOutcome.Charged);
        (await world.WalletAsync(seller.SellerId)).Should().Be(new Money(80));
    }

    [Fact]
    public async Task A_guess_refuted_by_a_posting_committed_while_it_decided_writes_nothing_and_the_exact_batch_refuses_the_click()
    {
        var (world, seller, campaign, clicks) = await ArrangeAsync(walletFen: 100, count: 1);
        // Another posting takes 95 fen from the wallet and holds the wallet's lock, uncommitted: the guess still reads 100.
        await using var other = app.Services.CreateAsyncScope();
        var otherDb = other.ServiceProvider.GetRequiredService<AllianceDbContext>();
        var otherTransaction = await otherDb.Database.BeginTransactionAsync();
        await other.ServiceProvider.GetRequiredService<LedgerWriter>().PostManyAsync(
            [new EntryDraft("test.debit", $"test-debit:{Guid.NewGuid():N}", "test debit",
                [new Posting(AccountRef.Wallet(seller.SellerId), new Money(-95)), new Posting(AccountRef.Revenue, new Money(95))])],
            [AccountKind.SellerWallet]);

        var guess = WriteAsync(campaign, clicks, ChargeMode.Guessed, []);
        // The guess decided on 100 fen and now waits for the wallet's lock at the end of its transaction.
        await WaitForALockWaitAsync();
        await otherTransaction.CommitAsync();

        (await FluentActions.Awaiting(() => guess).Should().ThrowAsync<ChargeGuessFailedException>()).Which.Learned.Should().NotBeNull();
        (await world.ClickRowsAsync(campaign)).Should().Be(0);
        (await world.WalletAsync(seller.SellerId)).Should().Be(new Money(5), "the failed guess took nothing");

        var results = await WriteAsync(campaign, clicks, ChargeMode.Exact, []);

        results.Single().Outcome.Should().Be(CpcChargeOutcome.WalletEmpty, "5 fen cannot pay a 10 fen click");
        (await world.WalletAsync(seller.SellerId)).Should().Be(new Money(5));
        (await world.ChargesAsync(campaign)).Single().PriceFen.Should().Be(0);
    }

    [Fact]
    public async Task A_click_whose_impression_is_paid_for_in_the_batch_beside_is_a_replay()
    {
        var (world, _, campaign, clicks) = await ArrangeAsync(walletFen: 1_000, count: 1);
        var beside = new ChargeFlight(new HashSet<Guid> { clicks[0].ImpressionId });

        var results = await WriteAsync(campaign, clicks, ChargeMode.Guessed, [beside]);

        results.Single().Status.Should().Be(CampaignChargeStatus.Replayed);
        (await world.ChargesAsync(campaign)).Should().BeEmpty();
        (await world.ClickRowsAsync(campaign)).Should().Be(1, "the replayed click is recorded, as invalid");
    }

    private async Task<(CpcWorld World, TestSeller Seller, long Campaign, List<PaidClick> Clicks)> ArrangeAsync(long walletFen, int count)
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(new Money(walletFen));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 10, dailyBudgetFen: 100_000);
        var zone = await world.NewSmartZoneAsync();
        await using var db = app.NewDb();
        var webmasterId = await db.Sites.Where(s => s.Id == zone.SiteId).Select(s => s.WebmasterId).SingleAsync();
        // Each click a shopper of its own (visitor and IP), so none is a free repeat of another.
        var clicks = Enumerable.Range(0, count).Select(i => new PaidClick(Guid.CreateVersion7(world.Now), world.Now, webmasterId, zone.SiteId,
            zone.ZoneId, seller.ItemIds[0], seller.ShopId, Guid.NewGuid(), [1, 2, (byte)i], "test", null, 0, 0, Guid.NewGuid(), PriceFen: 10)).ToList();
        return (world, seller, campaign, clicks);
    }

    private async Task<IReadOnlyList<CampaignChargeResult>> WriteAsync(long campaign, List<PaidClick> clicks, ChargeMode mode, List<ChargeFlight> beside)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var writer = scope.ServiceProvider.GetRequiredService<CampaignChargeWriter>();
        var flight = new ChargeFlight(clicks.Select(c => c.ImpressionId).ToHashSet());
        return await writer.WriteAsync(campaign, ChinaTime.DayOf(clicks[0].OccurredAt), clicks, new RecentClickers(), mode, flight, [flight, .. beside]);
    }

    /// <summary>Until a session of the test database waits for a lock (not a timing: the wait is what the test needs).</summary>
    private async Task WaitForALockWaitAsync()
    {
        await using var db = app.NewDb();
        for (var i = 0; i < 200; i++)
        {
            var waiting = await db.Database.SqlQuery<int>(
                $"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").SingleAsync();
            if (waiting > 0) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("The guessed batch never waited for the wallet's lock");
    }
}
