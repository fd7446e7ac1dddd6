using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Application.Ledger;
using static TaobaoAlliance.Testing.MoneyWorld;
using TaobaoAlliance.Web.Tests.Ledger;

namespace TaobaoAlliance.Web.Tests.Orders;

/// <summary>
/// Random sequences of payments, partial refunds (by units, by money, by units with a chosen amount),
/// confirmations and runs of the order life as the clock moves (product.md, "An order stays open while
/// money is left on it"). Once every hold is over: no commission is still Pending, every order with money
/// left has settled, only orders refunded in full are Refunded, nothing is left in the webmaster's
/// pending balance, and the ledger sums to zero.
/// </summary>
public sealed class RefundPropertyTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const long ShopId = 6;
    private readonly MoneyWorld world = new(app);

    private enum OpKind { Pay, RefundUnits, RefundUnitsWithAmount, RefundMoneyOnly, Confirm, Wait }

    /// <summary>A: which item or order; B: units or days; C: a percentage of the line's price.</summary>
    private sealed record Op(OpKind Kind, int A, int B, int C);

    private static readonly Gen<Op> OpGen = Gen.Frequency(
        (4, Gen.Select(Gen.Int[0, 1], Gen.Int[1, 3], (i, q) => new Op(OpKind.Pay, i, q, 0))),
        (2, Gen.Select(Gen.Int[0, 20], Gen.Int[1, 3], (o, q) => new Op(OpKind.RefundUnits, o, q, 0))),
        (2, Gen.Select(Gen.Int[0, 20], Gen.Int[1, 3], Gen.Int[1, 100], (o, q, p) => new Op(OpKind.RefundUnitsWithAmount, o, q, p))),
        (2, Gen.Select(Gen.Int[0, 20], Gen.Int[1, 100], (o, p) => new Op(OpKind.RefundMoneyOnly, o, 0, p))),
        (2, Gen.Int[0, 20].Select(o => new Op(OpKind.Confirm, o, 0, 0))),
        (2, Gen.Int[1, 12].Select(days => new Op(OpKind.Wait, 0, days, 0))));

    [Fact]
    public Task No_money_stays_pending_past_its_hold_and_the_ledger_sums_to_zero() =>
        OpGen.Array[4, 25].SampleAsync(RunAsync, iter: 12, threads: 1);

    private async Task RunAsync(Op[] ops)
    {
        var webmaster = await world.NewWebmasterAsync();
        var (a, b, _) = await world.ItemsAsync(shopId: ShopId, otherShopId: 7);
        var items = new[] { a, b };
        await DepositAsync(await world.SellerOfShopAsync(ShopId)); // settlement never waits for the seller's wallet here
        var orders = new List<(string Id, ItemInfo Item, long PaidFen)>();
        var step = 0;

        foreach (var op in ops)
        {
            var at = world.Now.AddSeconds(++step); // distinct times keep distinct events distinct
            switch (op.Kind)
            {
                case OpKind.Pay:
                    var item = items[op.A];
                    var visitor = Guid.NewGuid();
                    await world.ClickAsync(webmaster, visitor, item.Id, at.AddSeconds(-1), itemRateBp: 1_000);
                    var id = NewOrderId();
                    var paidFen = item.PriceFen * op.B;
                    orders.Add((id, item, paidFen));
                    await world.ProcessAsync(Paid(ShopId, id, at, visitor, Line(item.Id, op.B, paidFen)));
                    break;
                case OpKind.RefundUnits when orders.Count > 0:
                    var r1 = orders[op.A % orders.Count];
                    await world.TryProcessAsync(Refunded(ShopId, r1.Id, at, Line(r1.Item.Id, op.B, 0))); // refused when too much: part of the game
                    break;
                case OpKind.RefundUnitsWithAmount when orders.Count > 0:
                    var r2 = orders[op.A % orders.Count];
                    await world.TryProcessAsync(Refunded(ShopId, r2.Id, at, Line(r2.Item.Id, op.B, Math.Max(1, r2.Item.PriceFen * op.C / 100))));
                    break;
                case OpKind.RefundMoneyOnly when orders.Count > 0:
                    var r3 = orders[op.A % orders.Count];
                    await world.TryProcessAsync(Refunded(ShopId, r3.Id, at, Line(r3.Item.Id, 0, Math.Max(1, r3.PaidFen * op.C / 100))));
                    break;
                case OpKind.Confirm when orders.Count > 0:
                    await world.ProcessAsync(Confirmed(ShopId, orders[op.A % orders.Count].Id, at));
                    break;
                case OpKind.Wait:
                    app.Clock.Advance(TimeSpan.FromDays(op.B));
                    await world.RunOrderLifeAsync();
                    break;
            }
        }

        // Every hold is over: auto-confirmation (10 days) and settlement (7 days) after the last event.
        app.Clock.Advance(TimeSpan.FromDays(10 + 7) + TimeSpan.FromMinutes(1));
        await world.RunOrderLifeAsync();

        var ids = orders.Select(o => o.Id).ToList();
        await using var db = app.NewDb();
        var stored = await db.Orders.Include(o => o.Lines).Where(o => o.ShopId == ShopId && ids.Contains(o.ExternalOrderId)).ToListAsync();
        foreach (var order in stored)
        {
            var left = order.Lines.Sum(l => l.PaidFen - l.RefundedFen);
            order.State.Should().Be(left > 0 ? OrderState.Settled : OrderState.Refunded,
                $"order {order.ExternalOrderId} has {new Money(left)} left after every hold");
        }
        (await db.Commissions.Where(c => c.WebmasterId == webmaster.Id).Select(c => c.State).ToListAsync())
            .Should().NotContain(CommissionState.Pending, "nothing stays pending past its hold");
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Should().Be(Money.Zero);
        var expected = (await db.Commissions.AsNoTracking().Where(c => c.WebmasterId == webmaster.Id && c.State == CommissionState.Settled).ToListAsync())
            .Sum(c => Application.Commissions.CommissionMath.Effective(c).WebmasterTotal.Fen);
        (await world.BalanceAsync(AccountRef.Available(webmaster.Id))).Fen.Should().Be(expected, "what settled is what each line still earns");
        (await world.LedgerSumAsync()).Should().Be(0, "every entry balances");
    }

    private async Task DepositAsync(long sellerId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaobaoAlliance.Data.AllianceDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await scope.ServiceProvider.GetRequiredService<LedgerWriter>().PostAsync(Postings.Deposit(sellerId, Money.FromYuan(1_000_000), "test-deposit:" + Guid.NewGuid()));
        await transaction.CommitAsync();
    }
}
