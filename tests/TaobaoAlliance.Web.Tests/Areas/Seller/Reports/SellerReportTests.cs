using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Web.Tests.Areas.Webmaster;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Balance;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Reports;
using static TaobaoAlliance.Testing.MoneyWorld;
using static TaobaoAlliance.Web.Tests.Areas.Seller.Wallet.SellerMoneyTesting;
using TaobaoAlliance.Web.Tests.Areas.Seller.ApiSecrets;
using TaobaoAlliance.Web.Tests.Areas.Seller.Wallet;

namespace TaobaoAlliance.Web.Tests.Areas.Seller.Reports;

/// <summary>
/// The seller's reports and dashboard on data arranged by hand. The app's clock is 2026-11-01 16:00 China
/// time, so "the last 7 days" are 2026-10-26 to 2026-11-01 and the cohorts run from 2025-12 to 2026-11.
/// Every clicked item earns 10 %, so each alliance order's commission is a tenth of what was paid.
/// <code>
/// seller1, shop 1, alice: 09-15 alliance ¥200 (first) · 10-28 direct ¥50 · 10-30 alliance ¥100
/// seller1, shop 1, bob:   10-29 alliance ¥300 (first), ¥100 of it refunded · 11-01 direct ¥80
/// seller1, shop 2, carol: 10-27 direct ¥40 (first) · 10-31 alliance ¥60
/// seller1 CPC: shop 1 ¥10 on 09-20 and ¥4 on 10-30; shop 2 ¥2 on 10-31
/// seller2, shop 6, dave:  10-30 alliance ¥1,000 (first); CPC ¥50 on 10-30
/// </code>
/// </summary>
public sealed partial class SellerReportTests : IClassFixture<AllianceApp>, IAsyncLifetime
{
    private readonly AllianceApp app;
    private readonly MoneyWorld world;

    public SellerReportTests(AllianceApp app)
    {
        this.app = app;
        world = new MoneyWorld(app);
    }

    private static DateTimeOffset China(int month, int day, int hour = 12) =>
        new DateTimeOffset(2026, month, day, hour, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime();

    private static readonly SemaphoreSlim Arranged = new(1, 1);
    private static bool done;

    public async Task InitializeAsync()
    {
        // One arrangement for the whole class (its database is its own): tests only read.
        await Arranged.WaitAsync();
        try
        {
            if (done) return;
            await ArrangeAsync();
            done = true;
        }
        finally
        {
            Arranged.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task ArrangeAsync()
    {
        app.Clock.GetUtcNow().Should().Be(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));
        var webmaster = await world.NewWebmasterAsync();
        await using var db = app.NewDb();
        var items = await db.Items.Where(i => i.ShopId == 1 || i.ShopId == 2 || i.ShopId == 6)
            .GroupBy(i => i.ShopId).Select(g => new { ShopId = g.Key, Id = g.Min(i => i.Id) }).ToDictionaryAsync(x => x.ShopId, x => x.Id);

        async Task Order(long shopId, string buyer, DateTimeOffset at, long paidFen, bool alliance, int quantity = 1, string? id = null)
        {
            Guid? visitor = null;
            if (alliance)
            {
                visitor = Guid.NewGuid();
                await world.ClickAsync(webmaster, visitor.Value, items[shopId], at.AddHours(-1), itemRateBp: 1_000);
            }
            await world.ProcessAsync(Paid(shopId, id ?? NewOrderId(), at, visitor, Line(items[shopId], quantity, paidFen)) with { BuyerRef = buyer });
        }
        async Task Cpc(long shopId, DateTimeOffset at, long priceFen)
        {
            var click = await world.ClickAsync(webmaster, Guid.NewGuid(), items[shopId], at);
            await app.CpcChargeAsync(webmaster, click, shopId, priceFen / 2, at);
        }

        await Order(1, "alice", China(9, 15), 20_000, alliance: true);
        await Order(1, "alice", China(10, 28), 5_000, alliance: false);
        await Order(1, "alice", China(10, 30), 10_000, alliance: true);
        await Order(1, "bob", China(10, 29), 30_000, alliance: true, quantity: 3, id: "BOB-1");
        await world.ProcessAsync(Refunded(1, "BOB-1", China(10, 30), Line(items[1], 1, 10_000)));
        await Order(1, "bob", China(11, 1), 8_000, alliance: false);
        await Order(2, "carol", China(10, 27), 4_000, alliance: false);
        await Order(2, "carol", China(10, 31), 6_000, alliance: true);
        await Cpc(1, China(9, 20), 1_000);
        await Cpc(1, China(10, 30), 400);
        await Cpc(2, China(10, 31), 200);

        await Order(6, "dave", China(10, 30), 100_000, alliance: true);
        await Cpc(6, China(10, 30), 5_000);
    }

    private static string Metric(string html, string name) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"data-metric=\"{name}\">([^<]*)<").Groups[1].Value).Trim();

    [Fact]
    public async Task The_last_7_days_split_spend_into_commission_and_cpc_with_gmv_roi_and_new_vs_returning_customers()
    {
        using var browser = await app.SignedInAsync(Seller1, Seller1Password);

        var html = await browser.PageAsync("/Seller/Reports?days=7");

        // Commission: alice ¥10 + bob ¥20 (¥30 less the refunded part) + carol ¥6; CPC: ¥4 + ¥2.
        Metric(html, "commission").Should().Be("¥36.00");
        Metric(html, "cpc").Should().Be("¥6.00");
        Metric(html, "spend").Should().Be("¥42.00");
        Metric(html, "orders").Should().Be("3");
        Metric(html, "gmv").Should().Be("¥360.00", "¥100 + ¥200 (after the refund) + ¥60; direct orders are not alliance GMV");
        Metric(html, "refunds").Should().Be("¥100.00");
        Metric(html, "roi").Should().Be("8.57", "¥360 ÷ ¥42");
        Metric(html, "new-customers").Should().Be("2", "bob and carol first bought in these 7 days");
        Metric(html, "returning-customers").Should().Be("1", "alice first bought in September");

        var table = ReportTesting.ReportTable(html)!;
        table.Headers.Should().Equal("Day", "Commission", "CPC", "Total spend", "Alliance orders", "Alliance GMV", "Refunds", "ROI",
            "New customers", "Returning customers");
        table.Rows.Select(r => r[0]).Should().Equal("2026-10-31", "2026-10-30", "2026-10-29");
        table.Row("2026-10-31").Should().Equal("2026-10-31", "¥6.00", "¥2.00", "¥8.00", "1", "¥60.00", "¥0.00", "7.50", "1", "0");
        table.Row("2026-10-30").Should().Equal("2026-10-30", "¥10.00", "¥4.00", "¥14.00", "1", "¥100.00", "¥0.00", "7.14", "0", "1");
        table.Row("2026-10-29").Should().Equal("2026-10-29", "¥20.00", "¥0.00", "¥20.00", "1", "¥200.00", "¥100.00", "10.00", "1", "0");
        table.Total.Should().Equal("Total", "¥36.00", "¥6.00", "¥42.00", "3", "¥360.00", "¥100.00", "8.57", "2", "1");
    }

    [Fact]
    public async Task The_csv_download_holds_exactly_the_per_day_table()
    {
        using var browser = await app.SignedInAsync(Seller1, Seller1Password);
        var table = ReportTesting.ReportTable(await browser.PageAsync("/Seller/Reports?days=7"))!;

        using var response = await browser.GetAsync("/Seller/Reports?handler=Csv&days=7");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var rows = ReportTesting.ParseCsv(Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF'));
        rows.Should().HaveCount(table.Rows.Count + 2);
        rows[0].Should().Equal(table.Headers);
        rows[1].Should().Equal("2026-10-31", "6.00", "2.00", "8.00", "1", "60.00", "0.00", "7.50", "1", "0");
        rows[3].Should().Equal("2026-10-29", "20.00", "0.00", "20.00", "1", "200.00", "100.00", "10.00", "1", "0");
        rows[^1].Should().Equal("Total", "36.00", "6.00", "42.00", "3", "360.00", "100.00", "8.57", "2", "1");
    }

    [Fact]
    public async Task The_shop_filter_keeps_to_one_own_shop_and_another_sellers_shop_answers_404()
    {
        using var browser = await app.SignedInAsync(Seller1, Seller1Password);

        var html = await browser.PageAsync("/Seller/Reports?days=7&shop=2");

        Metric(html, "commission").Should().Be("¥6.00");
        Metric(html, "cpc").Should().Be("¥2.00");
        Metric(html, "gmv").Should().Be("¥60.00");
        Metric(html, "roi").Should().Be("7.50");
        Metric(html, "new-customers").Should().Be("1");
        Metric(html, "returning-customers").Should().Be("0");
        using var other = await browser.GetAsync("/Seller/Reports?days=7&shop=6");
        other.StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var otherCsv = await browser.GetAsync("/Seller/Reports?handler=Csv&days=7&shop=6");
        otherCsv.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_sellers_report_shows_only_their_own_shop()
    {
        using var browser = await app.SignedInAsync(Seller2, Seller2Password);

        var html = await browser.PageAsync("/Seller/Reports?days=7");

        Metric(html, "commission").Should().Be("¥100.00");
        Metric(html, "cpc").Should().Be("¥50.00");
        Metric(html, "gmv").Should().Be("¥1,000.00");
        Metric(html, "new-customers").Should().Be("1");
        Metric(html, "returning-customers").Should().Be("0");
        var cohorts = Cohort(html);
        cohorts.Keys.Should().Equal("2026-10");
        ShouldBe(cohorts["2026-10"], "1", "¥150.00", "¥1,000.00 6.67", "¥0.00 6.67");
    }

    [Fact]
    public async Task The_cohort_table_follows_customers_first_bought_through_the_alliance_by_month()
    {
        using var browser = await app.SignedInAsync(Seller1, Seller1Password);

        var html = await browser.PageAsync("/Seller/Reports?days=7");

        var cohorts = Cohort(html);
        // Carol's first order was direct, so she is in no cohort; November has no new alliance customer and no CPC.
        cohorts.Keys.Should().Equal("2026-09", "2026-10");
        // September: alice. Cost = ¥20 commission on her first order + ¥10 CPC in September = ¥30.
        // Revenue: ¥200 in September, ¥50 + ¥100 in October, nothing yet in November; return 200/30, 350/30, 350/30.
        ShouldBe(cohorts["2026-09"], "1", "¥30.00", "¥200.00 6.67", "¥150.00 11.67", "¥0.00 11.67");
        // October: bob. Cost = ¥20 commission (after the refund) + ¥6 CPC in October = ¥26.
        // Revenue: ¥200 (¥300 less ¥100 refunded) in October, ¥80 in November; return 200/26, 280/26.
        ShouldBe(cohorts["2026-10"], "1", "¥26.00", "¥200.00 7.69", "¥80.00 10.77");
        html.Should().Contain("id=\"cohort-definition\"");
    }

    [Fact]
    public async Task The_dashboard_shows_the_wallet_and_todays_and_the_weeks_spend_and_alliance_sales()
    {
        using var browser = await app.SignedInAsync(Seller1, Seller1Password);
        var (sellerId, _) = await app.SellerAsync(Seller1);

        var html = await browser.PageAsync("/Seller");

        ReportTesting.Balance(html, "wallet").Should().Be((await app.WalletAsync(sellerId)).ToString());
        ReportTesting.Balance(html, "commission-owed").Should().Be("¥56.00", "¥20 + ¥10 + ¥20 + ¥6 accrued and not settled");
        ReportTesting.DashboardMetric(html, "today", "spend").Should().Be("¥0.00", "bob's order today came direct");
        ReportTesting.DashboardMetric(html, "today", "orders").Should().Be("0");
        ReportTesting.DashboardMetric(html, "7-days", "commission").Should().Be("¥36.00");
        ReportTesting.DashboardMetric(html, "7-days", "cpc").Should().Be("¥6.00");
        ReportTesting.DashboardMetric(html, "7-days", "spend").Should().Be("¥42.00");
        ReportTesting.DashboardMetric(html, "7-days", "orders").Should().Be("3");
        ReportTesting.DashboardMetric(html, "7-days", "gmv").Should().Be("¥360.00");
        Metric(html, "shops").Should().Be("5 shops");
        html.Should().NotContain("id=\"first-steps\"");
        foreach (var section in new[] { "/Seller/Shops", "/Seller/Wallet", "/Seller/Reports", "/Seller/ApiSecrets", "/Seller/Campaigns", "/Seller/Plans" })
        {
            html.Should().Contain($"href=\"{section}\"");
        }
    }

    [Fact]
    public async Task A_seller_without_a_shop_is_shown_the_first_step_and_asked_to_deposit()
    {
        using var browser = new BrowserSession(app);
        await browser.SignUpAsync($"seller-{Guid.NewGuid():N}@example.test", "Seller!pass1", accountType: "Seller");

        var html = await browser.PageAsync("/Seller");

        html.Should().Contain("id=\"first-steps\"");
        Regex.IsMatch(html, "<a[^>]*href=\"/Seller/Shops\"[^>]*id=\"create-first-shop\"[^>]*>Create your first shop</a>").Should().BeTrue();
        html.Should().Contain("Add money to your wallet");
        ReportTesting.Balance(html, "wallet").Should().Be("¥0.00");
        var report = await browser.PageAsync("/Seller/Reports");
        report.Should().NotContain("id=\"report-table\"").And.NotContain("id=\"cohort-table\"");
    }

    private static void ShouldBe((string Customers, string Cost, string[] Months) row, string customers, string cost, params string[] months)
    {
        row.Customers.Should().Be(customers);
        row.Cost.Should().Be(cost);
        row.Months.Should().Equal(months);
    }

    /// <summary>Cohort rows by month: customers, acquisition cost, and per month "revenue return".</summary>
    private static Dictionary<string, (string Customers, string Cost, string[] Months)> Cohort(string html)
    {
        string Text(string s) => WebUtility.HtmlDecode(Regex.Replace(s, "<[^>]+>", " ")).Trim();
        return CohortRowPattern().Matches(html).ToDictionary(
            m => m.Groups["month"].Value,
            m =>
            {
                var row = m.Value;
                var customers = Text(Regex.Match(row, "data-cohort=\"customers\">(.*?)</td>").Groups[1].Value);
                var cost = Text(Regex.Match(row, "data-cohort=\"cost\">(.*?)</td>").Groups[1].Value);
                var months = Regex.Matches(row, "<td[^>]*data-k=\"\\d+\"[^>]*>(.*?)</td>", RegexOptions.Singleline)
                    .Select(c => Regex.Replace(Text(c.Groups[1].Value), "\\s+", " ")).ToArray();
                return (customers, cost, months);
            });
    }

    [GeneratedRegex("<tr class=\"cohort-row\" data-month=\"(?<month>[0-9-]+)\">.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex CohortRowPattern();
}
