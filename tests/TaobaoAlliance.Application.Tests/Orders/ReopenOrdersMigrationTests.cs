using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Orders;
using static TaobaoAlliance.Testing.MoneyWorld;

namespace TaobaoAlliance.Application.Tests.Orders;

/// <summary>
/// The repair of issue 9, item 8: orders the old refund rule ended as Refunded with money still on them
/// are reopened by the migration <c>ReopenOrdersWithMoneyLeft</c>, and then confirm and settle.
/// </summary>
public sealed class ReopenOrdersMigrationTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const string MigrationBefore = "20261125181343_SellersAndCpc";
    private readonly MoneyWorld world = new(app);

    [Fact]
    public async Task Orders_ended_as_refunded_with_money_left_are_reopened_once_and_then_settle()
    {
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var webmaster = await world.NewWebmasterAsync();
        async Task<string> OrderAsync(long refundFen, bool confirm)
        {
            var visitor = Guid.NewGuid();
            await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddMinutes(-10), itemRateBp: 1_000);
            var id = NewOrderId();
            await world.ProcessAsync(Paid(item.ShopId, id, world.Now.AddMinutes(-5), visitor, Line(item.Id, 1, 169_900)));
            if (confirm) await world.ProcessAsync(Confirmed(item.ShopId, id, world.Now.AddMinutes(-4)));
            await world.ProcessAsync(Refunded(item.ShopId, id, world.Now.AddMinutes(-3), Line(item.Id, 1, refundFen)));
            return id;
        }
        var paidThenPartlyRefunded = await OrderAsync(69_900, confirm: false);
        var confirmedThenPartlyRefunded = await OrderAsync(69_900, confirm: true);
        var fullyRefunded = await OrderAsync(169_900, confirm: false);
        // What the old rule wrote: every unit refunded, so Refunded, whatever money was left.
        await using (var db = app.NewDb())
        {
            await db.Orders.Where(o => o.ShopId == item.ShopId && (o.ExternalOrderId == paidThenPartlyRefunded || o.ExternalOrderId == confirmedThenPartlyRefunded))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.State, OrderState.Refunded));
        }
        var ledgerBefore = await JournalCountAsync();

        await ReapplyMigrationAsync();
        var once = await StatesAsync(item.ShopId, paidThenPartlyRefunded, confirmedThenPartlyRefunded, fullyRefunded);
        await ReapplyMigrationAsync();
        var twice = await StatesAsync(item.ShopId, paidThenPartlyRefunded, confirmedThenPartlyRefunded, fullyRefunded);

        once.Should().Equal(OrderState.Paid, OrderState.Confirmed, OrderState.Refunded);
        twice.Should().Equal(once, "the repair is idempotent");
        (await JournalCountAsync()).Should().Be(ledgerBefore, "reopening moves no money: the remainder was still pending");

        app.Clock.Advance(TimeSpan.FromDays(10 + 7) + TimeSpan.FromMinutes(1));
        await world.RunOrderLifeAsync();

        (await StatesAsync(item.ShopId, paidThenPartlyRefunded, confirmedThenPartlyRefunded, fullyRefunded))
            .Should().Equal(OrderState.Settled, OrderState.Settled, OrderState.Refunded);
        await using (var db = app.NewDb())
        {
            (await db.Commissions.CountAsync(c => c.WebmasterId == webmaster.Id && c.State == CommissionState.Pending)).Should().Be(0);
        }
        (await world.BalanceAsync(AccountRef.Pending(webmaster.Id))).Fen.Should().Be(0);
        (await world.BalanceAsync(AccountRef.Available(webmaster.Id))).Fen.Should().Be(2 * 9_000, "10 % of the ¥1,000 kept on each, less the 10 % fee");
        (await world.LedgerSumAsync()).Should().Be(0);
    }

    /// <summary>Reverts the repair migration (its Down does nothing) and applies it again, as on a database that had not had it.</summary>
    private async Task ReapplyMigrationAsync()
    {
        await using var db = app.NewDb();
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(MigrationBefore);
        await migrator.MigrateAsync();
        (await db.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
    }

    private async Task<List<OrderState>> StatesAsync(long shopId, params string[] externalIds)
    {
        await using var db = app.NewDb();
        var states = await db.Orders.Where(o => o.ShopId == shopId && externalIds.Contains(o.ExternalOrderId))
            .ToDictionaryAsync(o => o.ExternalOrderId, o => o.State);
        return [.. externalIds.Select(id => states[id])];
    }

    private async Task<int> JournalCountAsync()
    {
        await using var db = app.NewDb();
        return await db.JournalEntries.CountAsync();
    }
}
