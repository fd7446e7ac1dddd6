using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Orders;
using TaobaoAlliance.Application.Payouts;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Data.Payouts;
using static TaobaoAlliance.Testing.MoneyWorld;

namespace TaobaoAlliance.Application.Tests.Orders;

/// <summary>Order life, refunds, the ledger and payouts, moved along by the test's clock.</summary>
public sealed class SettlementAndPayoutTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private readonly MoneyWorld world = new(app);

    /// <summary>A paid order of ¥100 at 10 % for a fresh webmaster: ¥10 commission, ¥1 fee, ¥9 to the webmaster.</summary>
    private async Task<(TestWebmaster Webmaster, long ShopId, string OrderId, long ItemId)> PaidOrderAsync(int quantity = 1, long paidFen = 10_000)
    {
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddMinutes(-10), itemRateBp: 1_000);
        var orderId = NewOrderId();
        await world.ProcessAsync(Paid(item.ShopId, orderId, world.Now, visitor, Line(item.Id, quantity, paidFen)));
        return (webmaster, item.ShopId, orderId, item.Id);
    }

    private async Task<Order> OrderAsync(long shopId, string externalId)
    {
        await using var db = app.NewDb();
        return await db.Orders.AsNoTracking().SingleAsync(o => o.ShopId == shopId && o.ExternalOrderId == externalId);
    }

    private async Task<Commission> CommissionAsync(long orderId)
    {
        await using var db = app.NewDb();
        return await db.Commissions.AsNoTracking().SingleAsync(c => c.OrderId == orderId);
    }

    [Fact]
    public async Task Paid_commission_is_pending_until_confirmed_and_held_then_it_settles_into_available()
    {
        var (webmaster, shopId, orderId, _) = await PaidOrderAsync();
        var sellerId = await world.SellerOfShopAsync(shopId);
        var walletBefore = await world.BalanceAsync(AccountRef.Wallet(sellerId));
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Fen.Should().Be(900);

        await world.ProcessAsync(Confirmed(shopId, orderId, world.Now));
        app.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        await world.RunOrderLifeAsync();
        (await OrderAsync(shopId, orderId)).State.Should().Be(OrderState.Confirmed, "the 7-day hold is not over");

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await world.RunOrderLifeAsync();

        var order = await OrderAsync(shopId, orderId);
        order.State.Should().Be(OrderState.Settled);
        (await CommissionAsync(order.Id)).State.Should().Be(CommissionState.Settled);
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Fen.Should().Be(0);
        (await world.BalanceAsync(AccountRef.Available(webmaster.Id))).Fen.Should().Be(900);
        (await world.BalanceAsync(AccountRef.Wallet(sellerId)) - walletBefore).Fen.Should().Be(-1_000, "the seller's wallet pays at settlement");
        (await world.LedgerSumAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Unconfirmed_orders_confirm_automatically_after_ten_days()
    {
        var (_, shopId, orderId, _) = await PaidOrderAsync();

        app.Clock.Advance(TimeSpan.FromDays(10) - TimeSpan.FromMinutes(1));
        await world.RunOrderLifeAsync();
        (await OrderAsync(shopId, orderId)).State.Should().Be(OrderState.Paid);

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await world.RunOrderLifeAsync();
        var order = await OrderAsync(shopId, orderId);
        order.State.Should().Be(OrderState.Confirmed);
        order.ConfirmedAt.Should().Be(order.PaidAt.AddDays(10));
    }

    [Fact]
    public async Task A_refund_before_settlement_reverses_the_commission()
    {
        var (webmaster, shopId, orderId, itemId) = await PaidOrderAsync();

        await world.ProcessAsync(Refunded(shopId, orderId, world.Now.AddMinutes(1), Line(itemId, 1, 0)));

        var order = await OrderAsync(shopId, orderId);
        order.State.Should().Be(OrderState.Refunded);
        (await CommissionAsync(order.Id)).State.Should().Be(CommissionState.Reversed);
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Fen.Should().Be(0);
        (await world.LedgerSumAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_partial_refund_reverses_only_the_refunded_part()
    {
        var (webmaster, shopId, orderId, itemId) = await PaidOrderAsync(quantity: 2, paidFen: 20_000);

        var result = await world.ProcessAsync(Refunded(shopId, orderId, world.Now.AddMinutes(1), Line(itemId, 1, 0)));

        var line = result.Lines.Single();
        (line.RefundedQuantity, line.RefundedFen, line.CommissionState).Should().Be((1, 10_000L, "Pending"));
        (line.CommissionFen, line.WebmasterFen).Should().Be((1_000L, 900L));
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Fen.Should().Be(900, "¥18 pending less the ¥9 of the refunded unit");
    }

    // Issue 9, item 8: ¥699 back on a one-unit ¥1,699 line ended the order as Refunded and stranded the ¥1,000 left.
    [Fact]
    public async Task A_refund_of_every_unit_but_part_of_the_money_leaves_the_rest_to_confirm_and_settle()
    {
        var (webmaster, shopId, orderId, itemId) = await PaidOrderAsync(quantity: 1, paidFen: 169_900);
        var sellerId = await world.SellerOfShopAsync(shopId);

        var refunded = await world.ProcessAsync(Refunded(shopId, orderId, world.Now.AddMinutes(1), Line(itemId, 1, 69_900)));

        refunded.State.Should().Be("Paid", "¥1,000 of the order is still paid");
        var line = refunded.Lines.Single();
        (line.RefundedQuantity, line.RefundedFen, line.CommissionState, line.CommissionFen, line.WebmasterFen).Should().Be((1, 69_900L, "Pending", 10_000L, 9_000L));
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Fen.Should().Be(9_000);

        (await world.ProcessAsync(Confirmed(shopId, orderId, world.Now.AddMinutes(2)))).State.Should().Be("Confirmed");
        app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(3));
        await world.RunOrderLifeAsync();

        var order = await OrderAsync(shopId, orderId);
        order.State.Should().Be(OrderState.Settled);
        (await CommissionAsync(order.Id)).State.Should().Be(CommissionState.Settled);
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Fen.Should().Be(0);
        (await world.BalanceAsync(AccountRef.Available(webmaster.Id))).Fen.Should().Be(9_000);
        await using var db = app.NewDb();
        var walletLine = await db.JournalLines
            .Where(l => db.JournalEntries.Any(e => e.Id == l.EntryId && e.OrderId == order.Id && e.Kind == "commission.settled")
                && db.LedgerAccounts.Any(a => a.Id == l.AccountId && a.Kind == AccountKind.SellerWallet && a.SellerId == sellerId))
            .SumAsync(l => l.AmountFen);
        walletLine.Should().Be(-10_000, "the seller pays 10 % of the ¥1,000 kept");
        (await world.LedgerSumAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Refunding_the_money_left_after_every_unit_ends_the_order_as_refunded()
    {
        var (webmaster, shopId, orderId, itemId) = await PaidOrderAsync(quantity: 1, paidFen: 169_900);
        await world.ProcessAsync(Refunded(shopId, orderId, world.Now.AddMinutes(1), Line(itemId, 1, 69_900)));

        var rest = await world.ProcessAsync(Refunded(shopId, orderId, world.Now.AddMinutes(2), Line(itemId, 0, 100_000)));

        rest.State.Should().Be("Refunded");
        rest.Lines.Single().CommissionState.Should().Be("Reversed");
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Fen.Should().Be(0);
        (await world.LedgerSumAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_refund_after_settlement_claws_back_from_available_even_below_zero()
    {
        var (webmaster, shopId, orderId, itemId) = await PaidOrderAsync();
        var sellerId = await world.SellerOfShopAsync(shopId);
        await world.ProcessAsync(Confirmed(shopId, orderId, world.Now));
        app.Clock.Advance(TimeSpan.FromDays(8));
        await world.RunOrderLifeAsync();
        (await world.WithPayoutsAsync(p => p.RequestAsync(webmaster.Id, new Money(900)))).Should().Be(PayoutOutcome.Refused(PayoutRefusal.BelowThreshold, new Money(10_000)));
        var walletBefore = await world.BalanceAsync(AccountRef.Wallet(sellerId));

        await world.ProcessAsync(Refunded(shopId, orderId, world.Now, Line(itemId, 1, 0)));

        var order = await OrderAsync(shopId, orderId);
        (await CommissionAsync(order.Id)).State.Should().Be(CommissionState.ClawedBack);
        (await world.BalanceAsync(AccountRef.Available(webmaster.Id))).Fen.Should().Be(0);
        (await world.BalanceAsync(AccountRef.Wallet(sellerId)) - walletBefore).Fen.Should().Be(1_000, "the seller gets the commission back");
        (await world.LedgerSumAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_refund_of_more_than_is_left_is_refused_and_changes_nothing()
    {
        var (webmaster, shopId, orderId, itemId) = await PaidOrderAsync();

        var outcome = await world.TryProcessAsync(Refunded(shopId, orderId, world.Now.AddMinutes(1), Line(itemId, 2, 0)));

        outcome.Refusal.Should().Be(OrderEventRefusal.RefundTooLarge, "the Orders API answers it with 400");
        outcome.Detail.Should().Contain("only 1 left");
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Fen.Should().Be(900);
        await using var db = app.NewDb();
        (await db.OrderEvents.CountAsync(e => e.ExternalOrderId == orderId)).Should().Be(1, "only the paid event was recorded");
    }

    [Fact]
    public async Task Two_settlement_runs_at_once_settle_each_commission_once()
    {
        var orders = new List<(TestWebmaster Webmaster, long ShopId, string OrderId, long ItemId)>();
        for (var i = 0; i < 12; i++) orders.Add(await PaidOrderAsync());
        foreach (var o in orders) await world.ProcessAsync(Confirmed(o.ShopId, o.OrderId, world.Now));
        app.Clock.Advance(TimeSpan.FromDays(8));

        var runs = await Task.WhenAll(world.RunOrderLifeAsync(), world.RunOrderLifeAsync(), world.RunOrderLifeAsync());

        foreach (var o in orders)
        {
            (await world.BalanceAsync(AccountRef.Available(o.Webmaster.Id))).Fen.Should().Be(900);
        }
        await using var db = app.NewDb();
        var orderIds = orders.Select(o => o.OrderId).ToList();
        var ids = await db.Orders.Where(o => orderIds.Contains(o.ExternalOrderId)).Select(o => o.Id).ToListAsync();
        (await db.JournalEntries.CountAsync(e => e.Kind == "commission.settled" && ids.Contains(e.OrderId!.Value))).Should().Be(12);
        runs.Sum(r => r.Settled).Should().BeGreaterThanOrEqualTo(12);
    }

    [Fact]
    public async Task Payouts_respect_the_threshold_the_available_balance_and_one_open_request()
    {
        var webmaster = await world.NewWebmasterAsync();
        // ¥200 order at 10 %: ¥20 commission, ¥18 webmaster. Ten of them: ¥180 available after settlement.
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        for (var i = 0; i < 10; i++)
        {
            var visitor = Guid.NewGuid();
            await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddMinutes(-1), itemRateBp: 1_000);
            var id = NewOrderId();
            await world.ProcessAsync(Paid(item.ShopId, id, world.Now, visitor, Line(item.Id, 1, 20_000)));
            await world.ProcessAsync(Confirmed(item.ShopId, id, world.Now));
        }
        (await world.WithPayoutsAsync(p => p.RequestAsync(webmaster.Id, new Money(10_000)))).Refusal
            .Should().Be(PayoutRefusal.MoreThanAvailable, "money inside its settlement hold cannot be paid out");
        app.Clock.Advance(TimeSpan.FromDays(8));
        await world.RunOrderLifeAsync();

        (await world.WithPayoutsAsync(p => p.RequestAsync(webmaster.Id, new Money(9_999)))).Should().Be(PayoutOutcome.Refused(PayoutRefusal.BelowThreshold, new Money(10_000)));
        (await world.WithPayoutsAsync(p => p.RequestAsync(webmaster.Id, new Money(18_001)))).Should().Be(PayoutOutcome.Refused(PayoutRefusal.MoreThanAvailable, new Money(18_000)));
        var first = await world.WithPayoutsAsync(p => p.RequestAsync(webmaster.Id, new Money(10_000)));
        first.Succeeded.Should().BeTrue();
        (await world.WithPayoutsAsync(p => p.RequestAsync(webmaster.Id, new Money(10_000)))).Refusal.Should().Be(PayoutRefusal.OpenRequestExists);
        (await world.BalanceAsync(AccountRef.Available(webmaster.Id))).Fen.Should().Be(8_000);

        var rejected = await world.WithPayoutsAsync(p => p.RejectAsync(first.Request!.Id, adminUserId: 1, "Bank details missing"));
        rejected.Request!.State.Should().Be(PayoutState.Rejected);
        (await world.BalanceAsync(AccountRef.Available(webmaster.Id))).Fen.Should().Be(18_000);

        var second = await world.WithPayoutsAsync(p => p.RequestAsync(webmaster.Id, new Money(18_000)));
        (await world.WithPayoutsAsync(p => p.ApproveAsync(second.Request!.Id, adminUserId: 1))).Succeeded.Should().BeTrue();
        (await world.WithPayoutsAsync(p => p.RejectAsync(second.Request!.Id, adminUserId: 1, "too late"))).Should().BeEquivalentTo(new { Refusal = PayoutRefusal.AlreadyDecided, Request = new { State = PayoutState.Approved } });
        (await world.BalanceAsync(AccountRef.Available(webmaster.Id))).Fen.Should().Be(0);
        (await world.BalanceAsync(AccountRef.PaidOut(webmaster.Id))).Fen.Should().Be(18_000);
        var payoutIds = new[] { first.Request!.Id.ToString(), second.Request!.Id.ToString() };
        await using var db = app.NewDb();
        (await db.AuditLog.CountAsync(a => a.EntityType == "payout_request" && payoutIds.Contains(a.EntityId))).Should().Be(2);
    }

    [Fact]
    public async Task Concurrent_payout_requests_never_take_more_than_is_available()
    {
        var (webmaster, shopId, orderId, _) = await PaidOrderAsync(paidFen: 150_000); // ¥135 to the webmaster
        await world.ProcessAsync(Confirmed(shopId, orderId, world.Now));
        app.Clock.Advance(TimeSpan.FromDays(8));
        await world.RunOrderLifeAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => world.WithPayoutsAsync(p => p.RequestAsync(webmaster.Id, new Money(10_000)))));

        outcomes.Count(o => o.Succeeded).Should().Be(1);
        (await world.BalanceAsync(AccountRef.Available(webmaster.Id))).Fen.Should().Be(3_500);
    }
}
