using static TaobaoAlliance.Testing.MoneyWorld;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Balance;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Reports;

namespace TaobaoAlliance.Web.Tests.Areas.Webmaster;

/// <summary>The webmaster's dashboard: today, 7 and 30 days, and the balance, exactly as arranged.</summary>
public sealed class DashboardTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private readonly MoneyWorld world = new(app);

    [Fact]
    public async Task Dashboard_shows_exactly_the_arranged_clicks_orders_commission_and_balance_for_today_7_and_30_days()
    {
        using var me = await app.NewSignedInWebmasterAsync();
        var wm = me.Webmaster;
        var (item, _, _) = await world.ItemsAsync(shopId: 6);

        // Today: two valid clicks and one invalid; one of them buys ¥100 at 10 % (¥9 to the webmaster), one is a CPC click earning ¥0.20.
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        await world.ClickAsync(wm, a, item.Id, app.DaysAgo(0), itemRateBp: 1_000);
        var cpcClick = await world.ClickAsync(wm, b, item.Id, app.DaysAgo(0), itemRateBp: 1_000);
        await world.ClickAsync(wm, Guid.NewGuid(), item.Id, app.DaysAgo(0), valid: false);
        await world.ProcessAsync(Paid(item.ShopId, NewOrderId(), app.DaysAgo(0, minutes: 1), a, Line(item.Id, 1, 10_000)));
        await app.CpcChargeAsync(wm, cpcClick, item.ShopId, shareFen: 20, app.DaysAgo(0));

        // 3 days ago: a click and an order of ¥200 (¥18).
        var c = Guid.NewGuid();
        await world.ClickAsync(wm, c, item.Id, app.DaysAgo(3), itemRateBp: 1_000);
        await world.ProcessAsync(Paid(item.ShopId, NewOrderId(), app.DaysAgo(3, minutes: 60), c, Line(item.Id, 2, 20_000)));

        // 7 days ago: just outside the 7 days (today and the 6 before it), inside the 30.
        await world.ClickAsync(wm, Guid.NewGuid(), item.Id, app.DaysAgo(7));

        // 20 days ago: a click and an order of ¥50 (¥4.50), confirmed the next day, so settled by now.
        var d = Guid.NewGuid();
        await world.ClickAsync(wm, d, item.Id, app.DaysAgo(20), itemRateBp: 1_000);
        var settledOrder = NewOrderId();
        await world.ProcessAsync(Paid(item.ShopId, settledOrder, app.DaysAgo(20, minutes: 60), d, Line(item.Id, 1, 5_000)));
        await world.ProcessAsync(Confirmed(item.ShopId, settledOrder, app.DaysAgo(19)));

        // 40 days ago, outside every window: a click and an order of ¥80 (¥7.20), confirmed automatically and settled.
        var e = Guid.NewGuid();
        await world.ClickAsync(wm, e, item.Id, app.DaysAgo(40), itemRateBp: 1_000);
        await world.ProcessAsync(Paid(item.ShopId, NewOrderId(), app.DaysAgo(40, minutes: 60), e, Line(item.Id, 1, 8_000)));
        await world.RunOrderLifeAsync();

        var html = await me.Browser.PageAsync("/Webmaster");

        string[] metrics = ["valid-clicks", "invalid-clicks", "orders", "gmv", "estimated-commission", "settled-commission", "cpc-earnings"];
        string[] Window(string id) => [.. metrics.Select(m => ReportTesting.DashboardMetric(html, id, m))];
        Window("today").Should().Equal("2", "1", "1", "¥100.00", "¥9.00", "¥0.00", "¥0.20");
        Window("last-7-days").Should().Equal("3", "1", "2", "¥300.00", "¥27.00", "¥0.00", "¥0.20");
        Window("last-30-days").Should().Equal("5", "1", "3", "¥350.00", "¥31.50", "¥4.50", "¥0.20");
        ReportTesting.Balance(html, "pending").Should().Be("¥27.00");
        ReportTesting.Balance(html, "available").Should().Be("¥11.70", "the ¥4.50 and the ¥7.20 have settled");
        ReportTesting.Balance(html, "payout-requested").Should().Be("¥0.00");
        ReportTesting.Balance(html, "paid-out").Should().Be("¥0.00");
        html.Should().Contain("href=\"/Webmaster/Sites\"").And.Contain("href=\"/Webmaster/Library\"").And.Contain("href=\"/Webmaster/Reports\"");
    }

    [Fact]
    public async Task Another_webmasters_clicks_and_orders_never_show_on_the_dashboard()
    {
        using var me = await app.NewSignedInWebmasterAsync();
        var other = await world.NewWebmasterAsync();
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var visitor = Guid.NewGuid();
        await world.ClickAsync(other, visitor, item.Id, app.DaysAgo(0), itemRateBp: 1_000);
        await world.ClickAsync(other, Guid.NewGuid(), item.Id, app.DaysAgo(0), valid: false);
        await world.ProcessAsync(Paid(item.ShopId, NewOrderId(), app.DaysAgo(0, minutes: 1), visitor, Line(item.Id, 1, 10_000)));
        await world.ClickAsync(me.Webmaster, Guid.NewGuid(), item.Id, app.DaysAgo(1));

        var html = await me.Browser.PageAsync("/Webmaster");

        foreach (var window in new[] { "today", "last-7-days", "last-30-days" })
        {
            ReportTesting.DashboardMetric(html, window, "invalid-clicks").Should().Be("0");
            ReportTesting.DashboardMetric(html, window, "orders").Should().Be("0");
            ReportTesting.DashboardMetric(html, window, "estimated-commission").Should().Be("¥0.00");
        }
        ReportTesting.DashboardMetric(html, "today", "valid-clicks").Should().Be("0");
        ReportTesting.DashboardMetric(html, "last-7-days", "valid-clicks").Should().Be("1", "only my own click of yesterday");
        ReportTesting.Balance(html, "pending").Should().Be("¥0.00");
    }

    [Fact]
    public async Task A_click_just_after_midnight_China_time_counts_on_the_new_day()
    {
        using var me = await app.NewSignedInWebmasterAsync();
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        // China midnight is 16:00 UTC the day before: a click at 00:05 China time is "today" in China but
        // still "yesterday" by the UTC calendar; one at 23:55 China time is yesterday either way.
        var chinaMidnight = new DateTimeOffset(ReportTesting.ChinaDay(app.Clock.GetUtcNow()).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
        await world.ClickAsync(me.Webmaster, Guid.NewGuid(), item.Id, chinaMidnight.AddMinutes(-5).ToUniversalTime());
        await world.ClickAsync(me.Webmaster, Guid.NewGuid(), item.Id, chinaMidnight.AddMinutes(5).ToUniversalTime());

        var html = await me.Browser.PageAsync("/Webmaster");

        ReportTesting.DashboardMetric(html, "today", "valid-clicks").Should().Be("1");
        ReportTesting.DashboardMetric(html, "last-7-days", "valid-clicks").Should().Be("2");
    }
}
