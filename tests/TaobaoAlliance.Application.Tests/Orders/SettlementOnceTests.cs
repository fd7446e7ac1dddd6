using Microsoft.EntityFrameworkCore;
using Npgsql;
using TaobaoAlliance.Application.Orders;
using TaobaoAlliance.Data.Orders;
using static TaobaoAlliance.Testing.MoneyWorld;

namespace TaobaoAlliance.Application.Tests.Orders;

/// <summary>The order life on three nodes of one database: one run in the cluster at a time, each order settled once.</summary>
public sealed class SettlementOnceTests(ThreeNodes nodes) : IClassFixture<ThreeNodes>
{
    private readonly MoneyWorld first = new(nodes.First);
    private readonly MoneyWorld second = new(nodes.Second);
    private readonly MoneyWorld third = new(nodes.Third);

    /// <summary>Orders paid now and confirmed now, for fresh webmasters; they settle after the 7-day hold.</summary>
    private async Task<List<long>> ConfirmedOrdersAsync(int count)
    {
        var (item, _, _) = await first.ItemsAsync(shopId: 6);
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var webmaster = await first.NewWebmasterAsync();
            var visitor = Guid.NewGuid();
            await first.ClickAsync(webmaster, visitor, item.Id, first.Now.AddMinutes(-10), itemRateBp: 1_000);
            var orderId = NewOrderId();
            await first.ProcessAsync(Paid(item.ShopId, orderId, first.Now, visitor, Line(item.Id, 1, 10_000)));
            await first.ProcessAsync(Confirmed(item.ShopId, orderId, first.Now));
            await using var db = nodes.First.NewDb();
            ids.Add(await db.Orders.Where(o => o.ShopId == item.ShopId && o.ExternalOrderId == orderId).Select(o => o.Id).SingleAsync());
        }
        return ids;
    }

    private async Task<(int Settled, int Entries)> SettledAsync(List<long> orderIds)
    {
        await using var db = nodes.First.NewDb();
        var settled = await db.Orders.CountAsync(o => orderIds.Contains(o.Id) && o.State == OrderState.Settled);
        var keys = orderIds.Select(id => $"order:{id}:settled").ToList();
        var entries = await db.JournalEntries.CountAsync(e => keys.Contains(e.IdempotencyKey));
        return (settled, entries);
    }

    private async Task SessionEndedAsync(int backendPid)
    {
        await using var db = nodes.First.NewDb();
        for (var i = 0; i < 200; i++)
        {
            var alive = await db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE pid = {backendPid}").SingleAsync();
            if (alive == 0) return;
            await Task.Delay(25);
        }
        throw new TimeoutException($"Backend {backendPid} still runs 5 s after its connection closed");
    }

    [Fact]
    public async Task A_node_skips_the_order_life_while_another_node_runs_it()
    {
        var orders = await ConfirmedOrdersAsync(2);
        nodes.Advance(TimeSpan.FromDays(8));

        // Another node's run holds the lock, as OrderLifecycle does, on a session of its own (not pooled: closing it ends the session).
        int otherBackend;
        await using (var otherNode = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(nodes.First.Database.ConnectionString) { Pooling = false }.ConnectionString))
        {
            await otherNode.OpenAsync();
            otherBackend = otherNode.ProcessID;
            await using (var lockIt = new NpgsqlCommand($"SELECT pg_advisory_lock({OrderLifecycle.AdvisoryLockSql})", otherNode))
            {
                await lockIt.ExecuteScalarAsync();
            }

            var skipped = await second.RunOrderLifeAsync();

            skipped.RunningElsewhere.Should().BeTrue();
            skipped.Settled.Should().Be(0);
            (await SettledAsync(orders)).Should().Be((0, 0), "nothing settles beside a run in progress");
        }

        // The other node's session ends, and its lock with it: the next run is this node's. Its backend exits a moment
        // after the connection closes, so wait for the process to be gone before the run.
        await SessionEndedAsync(otherBackend);
        var run = await second.RunOrderLifeAsync();

        run.RunningElsewhere.Should().BeFalse();
        (await SettledAsync(orders)).Should().Be((2, 2));
    }

    [Fact]
    public async Task Three_nodes_running_the_order_life_at_once_settle_each_order_once()
    {
        var orders = await ConfirmedOrdersAsync(5);
        nodes.Advance(TimeSpan.FromDays(8));

        var runs = await Task.WhenAll(first.RunOrderLifeAsync(), second.RunOrderLifeAsync(), third.RunOrderLifeAsync(),
            first.RunOrderLifeAsync(), second.RunOrderLifeAsync(), third.RunOrderLifeAsync());

        (await SettledAsync(orders)).Should().Be((5, 5), "one settlement entry per order");
        runs.Where(r => r.RunningElsewhere).Sum(r => r.Settled).Should().Be(0, "a skipped run does nothing");
    }
}
