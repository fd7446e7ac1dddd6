using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Application.Library;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Reports;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Data.Payouts;
using TaobaoAlliance.Web.Seeding;

namespace TaobaoAlliance.Web.Tests.Seeding;

/// <summary>The app as ./build.sh run starts it: seeds and their 90 days of history.</summary>
public sealed class DemoHistoryApp : AllianceApp
{
    public DemoHistoryApp() => Settings = new Dictionary<string, string?> { ["Database:SeedHistory"] = "true" };
}

public sealed class DemoHistoryTests(DemoHistoryApp app) : IClassFixture<DemoHistoryApp>
{
    [Fact]
    public async Task A_second_run_adds_nothing()
    {
        var before = await SnapshotAsync();

        DemoHistoryRun run;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            run = await scope.ServiceProvider.GetRequiredService<DemoHistory>().GenerateAsync();
        }

        run.Generated.Should().BeFalse();
        (await SnapshotAsync()).Should().Equal(before);
    }

    [Fact]
    public async Task The_history_has_clicks_orders_refunds_settlements_paid_clicks_and_a_paid_payout()
    {
        await using var db = app.NewDb();
        var today = ChinaTime.Today(app.Clock);
        var clicks = await db.Clicks.Where(c => c.CampaignId == null).Select(c => c.OccurredAt).ToListAsync();
        clicks.Select(ChinaTime.DayOf).Distinct().Should().HaveCount(90, "every day of the 90 has clicks");
        clicks.Min().Should().BeOnOrAfter(ChinaTime.StartOf(today.AddDays(-89)));
        clicks.Max().Should().BeOnOrBefore(app.Clock.GetUtcNow(), "nothing happened in the future");
        clicks.Count.Should().BeGreaterThan(90 * 1000, "a few thousand clicks a day across the demo links");

        (await db.Orders.CountAsync(o => o.AttributedClickId != null)).Should().BeGreaterThan(200);
        (await db.Orders.CountAsync(o => o.State == OrderState.Settled)).Should().BeGreaterThan(100);
        (await db.Commissions.CountAsync(c => c.State == CommissionState.Reversed)).Should().BeGreaterThan(0);
        (await db.Commissions.CountAsync(c => c.State == CommissionState.Settled)).Should().BeGreaterThan(100);
        (await db.JournalEntries.CountAsync(e => e.Kind == "commission.clawback")).Should().BeGreaterThan(0);
        (await db.CpcCharges.CountAsync(c => c.Outcome == CpcChargeOutcome.Charged)).Should().BeGreaterThan(1000);
        (await db.CpcCharges.CountAsync(c => c.Outcome != CpcChargeOutcome.Charged)).Should().BeGreaterThan(0, "repeat clicks within a day are free");
        var payout = await db.PayoutRequests.SingleAsync();
        payout.State.Should().Be(PayoutState.Paid);
        payout.AmountFen.Should().BeGreaterThanOrEqualTo(10_000);
        ChinaTime.DayOf(payout.RequestedAt).Should().Be(today.AddDays(-20));
        (await db.JournalEntries.MaxAsync(e => e.OccurredAt)).Should().BeOnOrBefore(app.Clock.GetUtcNow(), "the ledger has no future");
    }

    [Fact]
    public async Task Every_balance_is_the_sum_of_its_ledger_lines_and_the_rollups_match_the_rows()
    {
        await using var db = app.NewDb();
        var accounts = await db.LedgerAccounts.Where(a => a.BalanceFen != null)
            .Select(a => new { a.Id, Kept = a.BalanceFen!.Value, Sum = db.JournalLines.Where(l => l.AccountId == a.Id).Sum(l => (long?)l.AmountFen) ?? 0 })
            .ToListAsync();
        accounts.Should().NotBeEmpty().And.OnlyContain(a => a.Kept == a.Sum);
        (await db.JournalLines.SumAsync(l => l.AmountFen)).Should().Be(0, "every entry balances");
        var unbalanced = await db.JournalEntries.CountAsync(e => db.JournalLines.Where(l => l.EntryId == e.Id).Sum(l => l.AmountFen) != 0);
        unbalanced.Should().Be(0);

        // Webmaster money: pending + available + requested + paid out = the paid clicks' shares + what the commissions are worth now.
        var webmasterAccounts = await db.LedgerAccounts.Where(a => a.WebmasterId != null).SumAsync(a => a.BalanceFen ?? 0);
        var cpcShares = await db.CpcCharges.SumAsync(c => c.WebmasterShareFen);
        var commissionWorth = await db.Database.SqlQuery<long>($"""
            SELECT coalesce(sum((commission_worth(c)).webmaster_fen + (commission_worth(c)).subsidy_fen), 0)::bigint AS "Value" FROM commissions c
            """).SingleAsync();
        commissionWorth.Should().BeGreaterThan(0);
        webmasterAccounts.Should().Be(cpcShares + commissionWorth);

        var validClicks = await db.Clicks.CountAsync(c => c.IsValid);
        (await db.ClickDayItems.SumAsync(r => (long)r.Valid)).Should().Be(validClicks);
        (await db.ClickDaySites.SumAsync(r => (long)r.Valid)).Should().Be(validClicks);
        var orders = await db.Orders.CountAsync();
        (await db.OrderDayShops.SumAsync(r => (long)r.Orders)).Should().Be(orders);
    }

    [Fact]
    public async Task Reports_epc_cohorts_and_balances_show_something_from_the_first_run()
    {
        await using var db = app.NewDb();
        var webmasterId = await db.Webmasters.Where(w => w.User.Email == "webmaster1@taobaoalliance.local").Select(w => w.Id).SingleAsync();
        var shopIds = await db.Shops.Where(s => s.Seller.User.Email == "seller1@taobaoalliance.local").Select(s => s.Id).ToArrayAsync();
        var today = ChinaTime.Today(app.Clock);
        await using var scope = app.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;

        var daily = await sp.GetRequiredService<WebmasterReport>().DailyAsync(webmasterId, ReportPeriod.Last(30, today));
        var month = ReportMetrics.Sum(daily.Select(d => d.Metrics));
        month.ValidClicks.Should().BeGreaterThan(10_000);
        month.Orders.Should().BeGreaterThan(0);
        month.EstimatedCommission.Fen.Should().BeGreaterThan(0);
        month.CpcEarnings.Fen.Should().BeGreaterThan(0);

        var balances = await sp.GetRequiredService<WebmasterAccounts>().BalancesAsync(webmasterId);
        balances.Available.Fen.Should().BeGreaterThan(0);
        balances.PaidOut.Fen.Should().BeGreaterThan(0);
        balances.Pending.Fen.Should().BeGreaterThan(0);

        var library = await sp.GetRequiredService<ItemLibrary>().SearchAsync(
            new LibrarySearch(null, null, null, null, null, null, LibrarySort.Epc, 1), webmasterId, chinese: false, default);
        library.Items[0].Epc.Fen.Should().BeGreaterThan(0, "the EPC sort has something to sort by");

        var seller = sp.GetRequiredService<SellerReport>();
        var metrics = await seller.MetricsAsync(shopIds, ReportPeriod.Last(90, today));
        metrics.Total.AllianceOrders.Should().BeGreaterThan(0);
        metrics.Total.CpcSpend.Fen.Should().BeGreaterThan(0);
        var current = SellerReportMath.MonthKey(today);
        var cohorts = await seller.CohortsAsync(shopIds, current - 3, current);
        cohorts.Should().Contain(c => c.Customers > 0);
    }

    private async Task<List<string>> SnapshotAsync()
    {
        await using var db = app.NewDb();
        var result = new List<string>();
        foreach (var table in new[] { "clicks", "orders", "order_lines", "commissions", "cpc_charges", "payout_requests", "journal_entries",
                     "journal_lines", "click_day_items", "order_day_shops", "customer_day_shops", "campaigns" })
        {
#pragma warning disable EF1002 // the table names are the constants above
            var digest = await db.Database.SqlQueryRaw<string>(
                $"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS \"Value\" FROM {table} t")
                .SingleAsync();
#pragma warning restore EF1002
            result.Add(table + "=" + digest);
        }
        return result;
    }
}
