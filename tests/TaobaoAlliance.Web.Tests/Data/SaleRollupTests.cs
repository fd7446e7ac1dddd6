using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Application.Commissions;
using TaobaoAlliance.Application.Fraud;
using TaobaoAlliance.Application.Orders;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Orders;

namespace TaobaoAlliance.Web.Tests.Data;

/// <summary>
/// The sale rollups (Data/Reports/SaleRollups.cs), beside the click rollups (<see cref="ClickRollupTests"/>): after
/// random orders written through the real order events — attributed or not, several lines, buyers seen before,
/// partial and full refunds before and after settlement (reversals and clawbacks), confirmations, settlement and
/// voids — every rollup equals the same aggregation computed here in C# from the raw rows, with the rules'
/// <see cref="CommissionMath.Effective"/> for refunded commissions and China days from <see cref="ChinaTime"/>, so an
/// error in the triggers' SQL cannot agree with itself.
/// </summary>
public sealed class SaleRollupTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private sealed record RawOrder(long Id, long ShopId, string BuyerRef, DateTimeOffset PaidAt, Guid? AttributedClickId, long? AttributedWebmasterId);

    private sealed record CommissionClick(long Id, DateTimeOffset? ClickAt, long? ClickItemId, bool? ClickValid);

    [Fact]
    public async Task Every_sale_rollup_equals_the_raw_aggregation_after_every_kind_of_order_write()
    {
        var random = new Random(20261207);
        var world = new MoneyWorld(app);
        TestWebmaster[] webmasters = [await world.NewWebmasterAsync(), await world.NewWebmasterAsync()];
        var (clicked, sameShop, otherShop) = await world.ItemsAsync();
        var secondShop = await world.ItemsAsync(shopId: 3, otherShopId: 4);
        ItemInfo[] items = [clicked, sameShop, otherShop, secondShop.Clicked, secondShop.SameShop];
        var orders = new List<(long ShopId, string OrderId, OrderEventLine[] Lines)>();

        for (var n = 0; n < 40; n++)
        {
            var item = items[random.Next(items.Length)];
            // Some payments a few seconds either side of a China midnight, where the day's key turns.
            var paidAt = n % 8 == 0
                ? ChinaTime.StartOf(ChinaTime.DayOf(world.Now).AddDays(-random.Next(1, 20))).AddSeconds(random.Next(-3, 3))
                : world.Now.AddMinutes(-random.Next(60, 40 * 24 * 60));
            Guid? visitor = null;
            if (n % 5 != 0)
            {
                visitor = Guid.NewGuid();
                await world.ClickAsync(webmasters[n % 2], visitor.Value, item.Id, paidAt.AddMinutes(-random.Next(1, 600)), valid: n % 7 != 0);
            }
            var sameShopItems = items.Where(i => i.ShopId == item.ShopId).ToArray();
            OrderEventLine[] lines = [.. sameShopItems.Take(1 + random.Next(sameShopItems.Length))
                .Select(i => MoneyWorld.Line(i.Id, 1 + random.Next(3), 100 + random.Next(200_000)))];
            var shopId = item.ShopId;
            var orderId = MoneyWorld.NewOrderId();
            var buyer = n % 9 == 0 ? "" : "buyer-" + random.Next(8).ToString(CultureInfo.InvariantCulture);
            await world.ProcessAsync(new OrderEventCommand(shopId, orderId, OrderEventCommand.Paid, paidAt, buyer, lines, OrderSource.OrdersApi, VisitorId: visitor));
            orders.Add((shopId, orderId, lines));
        }

        // Refunds while pending (reversals), some partial, some of a whole line.
        foreach (var (shopId, orderId, lines) in orders.Where((_, i) => i % 3 == 0))
        {
            var line = lines[random.Next(lines.Length)];
            var whole = random.Next(2) == 0;
            await world.ProcessAsync(MoneyWorld.Refunded(shopId, orderId, world.Now,
                MoneyWorld.Line(line.ItemId, whole ? line.Quantity : 1, whole ? line.PaidFen : line.PaidFen / (2 + random.Next(5)))));
        }
        // Confirmed, then settled once the hold is over; then refunds after settlement (clawbacks).
        foreach (var (shopId, orderId, _) in orders.Where((_, i) => i % 2 == 0)) await world.TryProcessAsync(MoneyWorld.Confirmed(shopId, orderId, world.Now));
        app.Clock.Advance(TimeSpan.FromDays(8));
        await world.RunOrderLifeAsync();
        foreach (var (shopId, orderId, lines) in orders.Where((_, i) => i % 4 == 2))
        {
            var line = lines[0];
            var whole = random.Next(2) == 0;
            await world.TryProcessAsync(MoneyWorld.Refunded(shopId, orderId, world.Now,
                MoneyWorld.Line(line.ItemId, whole ? line.Quantity : 1, whole ? line.PaidFen : line.PaidFen / 3)));
        }
        // Voids by an admin, pending and settled alike.
        await using (var db = app.NewDb())
        {
            var toVoid = await db.Commissions.Where(c => c.State == CommissionState.Pending || c.State == CommissionState.Settled)
                .OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();
            await using var scope = app.Services.CreateAsyncScope();
            var voider = scope.ServiceProvider.GetRequiredService<CommissionVoider>();
            foreach (var id in toVoid.Where((_, i) => i % 5 == 1)) (await voider.VoidAsync(id, webmasters[0].UserId, "fraud found in the test")).Succeeded.Should().BeTrue();
        }

        await using (var db = app.NewDb())
        {
            var states = await db.Commissions.Select(c => c.State).Distinct().ToListAsync();
            states.Should().Contain([CommissionState.Pending, CommissionState.Settled, CommissionState.Voided], "the data covers every state change");
            (await db.Commissions.AnyAsync(c => c.RefundedBaseFen > 0 && (c.State == CommissionState.Pending || c.State == CommissionState.Settled)))
                .Should().BeTrue("some commissions are partly refunded, so their worth is recomputed");
        }
        await SaleRollupsShouldEqualRawAsync();
    }

    [Fact]
    public async Task Rebuilding_the_sale_rollups_as_the_migration_backfills_them_gives_what_the_triggers_kept()
    {
        var world = new MoneyWorld(app);
        var webmaster = await world.NewWebmasterAsync();
        var (clicked, sameShop, _) = await world.ItemsAsync();
        for (var n = 0; n < 6; n++)
        {
            var visitor = Guid.NewGuid();
            await world.ClickAsync(webmaster, visitor, clicked.Id, world.Now.AddDays(-n).AddHours(-2));
            var orderId = MoneyWorld.NewOrderId();
            await world.ProcessAsync(MoneyWorld.Paid(clicked.ShopId, orderId, world.Now.AddDays(-n).AddHours(-1), visitor,
                MoneyWorld.Line(clicked.Id, 2, 30_000), MoneyWorld.Line(sameShop.Id, 1, 9_999)));
            if (n % 2 == 0) await world.ProcessAsync(MoneyWorld.Refunded(clicked.ShopId, orderId, world.Now, MoneyWorld.Line(clicked.Id, 1, 12_345)));
        }

        await using (var db = app.NewDb()) await db.Database.ExecuteSqlRawAsync("SELECT rebuild_sale_rollups()");

        await SaleRollupsShouldEqualRawAsync();
    }

    private async Task SaleRollupsShouldEqualRawAsync()
    {
        await using var db = app.NewDb();
        var orders = await db.Database.SqlQuery<RawOrder>($"""
            SELECT id, shop_id, buyer_ref, paid_at, attributed_click_id, attributed_webmaster_id FROM orders
            """).ToListAsync();
        var lines = (await db.OrderLines.AsNoTracking().ToListAsync()).ToLookup(l => l.OrderId);
        var commissions = await db.Commissions.AsNoTracking().ToListAsync();
        var clicks = (await db.Database.SqlQuery<CommissionClick>($"SELECT id, click_at, click_item_id, click_valid FROM commissions").ToListAsync())
            .ToDictionary(c => c.Id);
        var orderById = orders.ToDictionary(o => o.Id);
        orders.Should().NotBeEmpty();

        static string Day(DateTimeOffset at) => ChinaTime.DayOf(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        static string Row(params object[] parts) => string.Join('/', parts.Select(p => Convert.ToString(p, CultureInfo.InvariantCulture)));
        long Net(RawOrder o) => lines[o.Id].Sum(l => l.PaidFen - l.RefundedFen);
        long Refunds(RawOrder o) => lines[o.Id].Sum(l => l.RefundedFen);
        // What the reports count a commission at: its stored amounts while untouched, the rules on what is left once refunded.
        static CommissionAmounts Worth(Commission c) =>
            c.State is CommissionState.Reversed or CommissionState.Voided ? default
            : c.RefundedBaseFen == 0 ? new(new Money(c.CommissionFen), new Money(c.PlatformFeeFen), new Money(c.WebmasterFen), new Money(c.SubsidyFen))
            : c.Effective();
        var live = commissions.Where(c => c.State is CommissionState.Pending or CommissionState.Settled).ToList();

        Compare("order_day_shops",
            orders.GroupBy(o => (o.ShopId, Day: Day(o.PaidAt))).Select(g => Row(g.Key.ShopId, g.Key.Day, g.Count(), g.Sum(Net),
                g.Count(o => o.AttributedClickId != null), g.Where(o => o.AttributedClickId != null).Sum(Net),
                g.Where(o => o.AttributedClickId != null).Sum(Refunds))),
            [.. (await db.OrderDayShops.ToListAsync()).Select(r => Row(r.ShopId, r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Orders, r.GmvFen,
                r.AllianceOrders, r.AllianceGmvFen, r.AllianceRefundsFen))]);
        Compare("order_day_webmasters",
            orders.Where(o => o.AttributedWebmasterId != null).GroupBy(o => (o.AttributedWebmasterId, Day: Day(o.PaidAt)))
                .Select(g => Row(g.Key.AttributedWebmasterId!, g.Key.Day, g.Count(), g.Sum(Net))),
            [.. (await db.OrderDayWebmasters.ToListAsync()).Select(r => Row(r.WebmasterId, r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Orders, r.GmvFen))]);
        Compare("commission_day_shops",
            live.GroupBy(c => (orderById[c.OrderId].ShopId, Day: Day(c.CreatedAt))).Select(g => Row(g.Key.ShopId, g.Key.Day,
                g.Sum(c => Worth(c).Commission.Fen), g.Sum(c => Worth(c).PlatformFee.Fen), g.Sum(c => Worth(c).Subsidy.Fen))),
            [.. (await db.CommissionDayShops.ToListAsync()).Select(r => Row(r.ShopId, r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.CommissionFen,
                r.PlatformFeeFen, r.SubsidyFen))]);
        Compare("commission_day_webmasters",
            live.GroupBy(c => (c.WebmasterId, Day: Day(c.CreatedAt))).Select(g => Row(g.Key.WebmasterId, g.Key.Day,
                g.Sum(c => Worth(c).WebmasterTotal.Fen), g.Where(c => c.State == CommissionState.Settled).Sum(c => Worth(c).WebmasterTotal.Fen))),
            [.. (await db.CommissionDayWebmasters.ToListAsync()).Select(r => Row(r.WebmasterId, r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.EstimatedFen,
                r.SettledFen))]);
        Compare("commission_day_items",
            commissions.Where(c => clicks[c.Id].ClickValid == true).GroupBy(c => (clicks[c.Id].ClickItemId, Day: Day(clicks[c.Id].ClickAt!.Value)))
                .Select(g => Row(g.Key.ClickItemId!, g.Key.Day, g.Sum(c => Worth(c).WebmasterTotal.Fen))),
            [.. (await db.CommissionDayItems.ToListAsync()).Select(r => Row(r.ItemId, r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.EarnedFen))]);
        Compare("shop_customers",
            orders.Where(o => o.BuyerRef != "").GroupBy(o => (o.ShopId, o.BuyerRef))
                .Select(g => g.OrderBy(o => o.PaidAt).ThenBy(o => o.Id).First())
                .Select(o => Row(o.ShopId, o.BuyerRef, o.Id, o.PaidAt.ToUnixTimeMilliseconds(), o.AttributedClickId != null)),
            [.. (await db.ShopCustomers.ToListAsync())
                .Select(r => Row(r.ShopId, r.BuyerRef, r.FirstOrderId, r.FirstPaidAt.ToUnixTimeMilliseconds(), r.FirstAttributed))]);

        // The customers' days and their sums (migration CustomerRollups), from the raw orders and each customer's first
        // order computed here: a customer is a shop and a buyer reference, and their first order the earliest (then lowest id).
        var firsts = orders.Where(o => o.BuyerRef != "").GroupBy(o => (o.ShopId, o.BuyerRef))
            .ToDictionary(g => g.Key, g => g.OrderBy(o => o.PaidAt).ThenBy(o => o.Id).First());
        var customerDays = orders.Where(o => o.BuyerRef != "").GroupBy(o => (o.ShopId, o.BuyerRef, Day: Day(o.PaidAt)))
            .Select(g => (g.Key.ShopId, g.Key.BuyerRef, g.Key.Day, First: firsts[(g.Key.ShopId, g.Key.BuyerRef)], Orders: g.Count(),
                Alliance: g.Count(o => o.AttributedClickId != null), Net: g.Sum(Net)))
            .ToList();
        Compare("shop_customer_days",
            customerDays.Select(d => Row($"{d.ShopId}:{d.BuyerRef}", d.Day, Day(d.First.PaidAt), d.First.AttributedClickId != null, d.Orders, d.Alliance, d.Net)),
            [.. (await db.ShopCustomerDays.ToListAsync()).Select(r => Row($"{r.ShopId}:{r.BuyerRef}", r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                r.FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.FirstAttributed, r.Orders, r.AllianceOrders, r.NetFen))]);
        var firstCommissions = live.Where(c => firsts.Values.Any(f => f.Id == c.OrderId && f.AttributedClickId != null))
            .GroupBy(c => orderById[c.OrderId]).ToDictionary(g => g.Key.Id, g => g.Sum(c => Worth(c).Commission.Fen));
        Compare("customer_day_shops",
            customerDays.GroupBy(d => (d.ShopId, FirstDay: Day(d.First.PaidAt), d.Day))
                .Select(g => (g.Key, Alliance: g.Count(d => d.Alliance > 0), Cohort: g.Where(d => d.First.AttributedClickId != null).ToList()))
                .Select(x => Row($"{x.Key.ShopId}:{x.Key.FirstDay}", x.Key.Day, x.Alliance, x.Cohort.Count(d => d.Day == x.Key.FirstDay),
                    x.Cohort.Sum(d => d.Orders), x.Cohort.Sum(d => d.Net),
                    x.Cohort.Where(d => d.Day == x.Key.FirstDay).Sum(d => firstCommissions.GetValueOrDefault(d.First.Id)))),
            [.. (await db.CustomerDayShops.ToListAsync()).Select(r => Row($"{r.ShopId}:{r.FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
                r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.AllianceCustomers, r.CohortCustomers, r.CohortOrders, r.CohortNetFen,
                r.CohortFirstCommissionFen))]);
    }

    /// <summary>
    /// A rollup against the raw aggregation, row by row as text. A rollup row whose numbers all went back to zero (a
    /// day whose only commission was voided) shows nothing, as no raw group does.
    /// </summary>
    private static void Compare(string table, IEnumerable<string> expected, IReadOnlyList<string> actual)
    {
        var raw = expected.Where(r => !AllZero(r)).ToList();
        raw.Should().NotBeEmpty($"the data reaches {table}");
        actual.Where(r => !AllZero(r)).Should().BeEquivalentTo(raw, $"{table} is the raw rows grouped by its key");
    }

    private static bool AllZero(string row) => row.Split('/').Skip(2).All(v => v is "0" or "False");
}
