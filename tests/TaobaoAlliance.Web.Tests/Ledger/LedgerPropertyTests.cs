using CsCheck;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Application.Orders;
using static TaobaoAlliance.Testing.MoneyWorld;
using TaobaoAlliance.Web.Tests.Orders;

namespace TaobaoAlliance.Web.Tests.Ledger;

/// <summary>
/// Random sequences of clicks, orders, confirmations, refunds, settlements and payouts against the real
/// app and database. Whatever happens: the ledger sums to zero, no balance goes negative except a
/// webmaster's available balance by a clawback, and replaying every order event changes nothing.
/// </summary>
public sealed class LedgerPropertyTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private readonly MoneyWorld world = new(app);

    private enum OpKind { Click, Pay, Confirm, Refund, Settle, RequestPayout, DecidePayout }

    private sealed record Op(OpKind Kind, int A, int B, int C);

    private static readonly Gen<Op> OpGen = Gen.Frequency(
        (4, Gen.Select(Gen.Int[0, 1], Gen.Int[0, 2], Gen.Int[0, 3], (w, v, i) => new Op(OpKind.Click, w, v, i))),
        (4, Gen.Select(Gen.Int[0, 2], Gen.Int[0, 3], Gen.Int[1, 3], (v, i, q) => new Op(OpKind.Pay, v, i, q))),
        (2, Gen.Int[0, 20].Select(o => new Op(OpKind.Confirm, o, 0, 0))),
        (2, Gen.Select(Gen.Int[0, 20], Gen.Int[1, 3], (o, q) => new Op(OpKind.Refund, o, q, 0))),
        (2, Gen.Int[1, 12].Select(days => new Op(OpKind.Settle, days, 0, 0))),
        (1, Gen.Select(Gen.Int[0, 1], Gen.Int[100, 400], (w, yuan) => new Op(OpKind.RequestPayout, w, yuan, 0))),
        (1, Gen.Select(Gen.Int[0, 20], Gen.Bool, (p, approve) => new Op(OpKind.DecidePayout, p, approve ? 1 : 0, 0))));

    [Fact]
    public Task Any_sequence_keeps_the_ledger_balanced_and_non_negative_and_replays_change_nothing() =>
        OpGen.Array[5, 30].SampleAsync(RunAsync, iter: 12, threads: 1);

    private async Task RunAsync(Op[] ops)
    {
        var webmasters = new[] { await world.NewWebmasterAsync(), await world.NewWebmasterAsync() };
        var visitors = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        // Items of two shops, so other-shop and general-rate lines happen too.
        var (a, b, c) = await world.ItemsAsync(shopId: 5, otherShopId: 7);
        var (d, _, _) = await world.ItemsAsync(shopId: 7, otherShopId: 5);
        var items = new[] { a, b, c, d };
        var orders = new List<(long ShopId, string Id, long ItemId)>();
        var payouts = new List<long>();
        var events = new List<OrderEventCommand>();
        var step = 0;

        async Task SendAsync(OrderEventCommand command)
        {
            events.Add(command);
            await world.TryProcessAsync(command); // refused events (e.g. refunding too much) are part of the game
        }

        foreach (var op in ops)
        {
            var at = world.Now.AddSeconds(++step); // distinct times keep distinct events distinct
            switch (op.Kind)
            {
                case OpKind.Click:
                    await world.ClickAsync(webmasters[op.A], visitors[op.B], items[op.C].Id, at.AddSeconds(-1));
                    break;
                case OpKind.Pay:
                    var item = items[op.B];
                    var id = NewOrderId();
                    orders.Add((item.ShopId, id, item.Id));
                    await SendAsync(Paid(item.ShopId, id, at, visitors[op.A], Line(item.Id, op.C, item.PriceFen * op.C)));
                    break;
                case OpKind.Confirm when orders.Count > 0:
                    var confirm = orders[op.A % orders.Count];
                    await SendAsync(Confirmed(confirm.ShopId, confirm.Id, at));
                    break;
                case OpKind.Refund when orders.Count > 0:
                    var refund = orders[op.A % orders.Count];
                    await SendAsync(Refunded(refund.ShopId, refund.Id, at, Line(refund.ItemId, op.B, 0)));
                    break;
                case OpKind.Settle:
                    app.Clock.Advance(TimeSpan.FromDays(op.A));
                    await world.RunOrderLifeAsync();
                    break;
                case OpKind.RequestPayout:
                    var outcome = await world.WithPayoutsAsync(p => p.RequestAsync(webmasters[op.A].Id, Money.FromYuan(op.B)));
                    if (outcome.Succeeded) payouts.Add(outcome.Request!.Id);
                    break;
                case OpKind.DecidePayout when payouts.Count > 0:
                    var payout = payouts[op.A % payouts.Count];
                    await world.WithPayoutsAsync(p => op.B == 1 ? p.ApproveAsync(payout, 1) : p.RejectAsync(payout, 1, "random"));
                    break;
            }
        }

        (await world.LedgerSumAsync()).Should().Be(0, "every entry balances");
        (await KeptBalancesOffAsync()).Should().BeEmpty("a party's kept balance is the sum of its lines, and the platform's accounts keep none");
        var balances = await BalancesAsync(webmasters);
        foreach (var (account, fen) in balances)
        {
            if (account.Kind is AccountKind.WebmasterPending or AccountKind.WebmasterCpcPending or AccountKind.WebmasterPayoutRequested or AccountKind.WebmasterPaidOut)
                fen.Should().BeGreaterThanOrEqualTo(0, $"{account} never goes negative");
        }
        (await SellerWalletsAsync()).Should().OnlyContain(fen => fen >= 0, "a seller's wallet never goes negative");
        var clawbacks = await ClawbackCountAsync(webmasters);
        foreach (var w in webmasters)
        {
            if (clawbacks.GetValueOrDefault(w.Id) == 0)
                balances.GetValueOrDefault(AccountRef.Available(w.Id)).Should().BeGreaterThanOrEqualTo(0, "only a clawback takes available below zero");
        }

        foreach (var command in events) await world.TryProcessAsync(command);
        (await BalancesAsync(webmasters)).Should().BeEquivalentTo(balances, "replaying the same events gives the same balances");
    }

    private async Task<Dictionary<AccountRef, long>> BalancesAsync(TestWebmaster[] webmasters)
    {
        var ids = webmasters.Select(w => w.Id).ToList();
        await using var db = app.NewDb();
        var rows = await db.JournalLines
            .Join(db.LedgerAccounts.Where(a => a.WebmasterId != null && ids.Contains(a.WebmasterId.Value)), l => l.AccountId, a => a.Id,
                (l, a) => new { a.Kind, a.WebmasterId, l.AmountFen })
            .GroupBy(x => new { x.Kind, x.WebmasterId })
            .Select(g => new { g.Key.Kind, g.Key.WebmasterId, Fen = g.Sum(x => x.AmountFen) })
            .ToListAsync();
        return rows.ToDictionary(r => new AccountRef(r.Kind, WebmasterId: r.WebmasterId), r => r.Fen);
    }

    /// <summary>The accounts whose kept balance (ledger_accounts.balance_fen) is not what their lines say it must be.</summary>
    private async Task<List<long>> KeptBalancesOffAsync()
    {
        await using var db = app.NewDb();
        return await db.Database.SqlQuery<long>($"""
            SELECT a.id AS "Value" FROM ledger_accounts a
            LEFT JOIN (SELECT account_id, SUM(amount_fen) AS fen FROM journal_lines GROUP BY account_id) s ON s.account_id = a.id
            WHERE CASE WHEN a.seller_id IS NULL AND a.webmaster_id IS NULL THEN a.balance_fen IS NOT NULL
                       ELSE a.balance_fen IS DISTINCT FROM s.fen END
            """).ToListAsync();
    }

    private async Task<List<long>> SellerWalletsAsync()
    {
        await using var db = app.NewDb();
        return await db.LedgerAccounts.Where(a => a.Kind == AccountKind.SellerWallet)
            .Select(a => db.JournalLines.Where(l => l.AccountId == a.Id).Sum(l => l.AmountFen)).ToListAsync();
    }

    private async Task<Dictionary<long, int>> ClawbackCountAsync(TestWebmaster[] webmasters)
    {
        var ids = webmasters.Select(w => w.Id).ToList();
        await using var db = app.NewDb();
        return await db.Commissions.Where(c => ids.Contains(c.WebmasterId) && c.RefundedBaseFen > 0 && c.SettledAt != null)
            .GroupBy(c => c.WebmasterId).ToDictionaryAsync(g => g.Key, g => g.Count());
    }
}
