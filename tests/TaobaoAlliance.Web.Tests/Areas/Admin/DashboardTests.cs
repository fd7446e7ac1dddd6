using System.Text.RegularExpressions;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;
using static TaobaoAlliance.Testing.MoneyWorld;

namespace TaobaoAlliance.Web.Tests.Areas.Admin;

/// <summary>The platform dashboard's figures over a database of its own (demo data has no orders or clicks).</summary>
public sealed partial class DashboardTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private readonly MoneyWorld world = new(app);

    [Fact]
    public async Task The_dashboard_adds_up_gmv_commission_fees_clicks_orders_and_new_sites_per_period()
    {
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var webmaster = await world.NewWebmasterAsync();
        var now = world.Now;
        // Today: ¥100 at 10 % after a click ten minutes before.
        var todayVisitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, todayVisitor, item.Id, now.AddMinutes(-10), itemRateBp: 1_000);
        await world.ProcessAsync(Paid(item.ShopId, NewOrderId(), now, todayVisitor, Line(item.Id, 1, 10_000)));
        // Three days ago: ¥200 for two at 10 %, one of them refunded since (¥100 and its commission left).
        var weekVisitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, weekVisitor, item.Id, now.AddDays(-3).AddHours(-1), itemRateBp: 1_000);
        var weekOrder = NewOrderId();
        await world.ProcessAsync(Paid(item.ShopId, weekOrder, now.AddDays(-3), weekVisitor, Line(item.Id, 2, 20_000)));
        await world.ProcessAsync(Refunded(item.ShopId, weekOrder, now.AddDays(-1), Line(item.Id, 1, 0)));
        // Ten days ago: ¥300 that no click earned anything on.
        await world.ProcessAsync(Paid(item.ShopId, NewOrderId(), now.AddDays(-10), null, Line(item.Id, 1, 30_000)));
        await world.ClickAsync(webmaster, Guid.NewGuid(), item.Id, now.AddMinutes(-1), valid: false);
        await NewSiteAsync(app, webmaster, "Waiting for review");
        using var admin = await AdminAsync(app);

        var html = await admin.PageAsync("/Admin");

        Figure(html, "gmv").Should().Equal("¥100.00", "¥200.00", "¥500.00");
        Figure(html, "commission").Should().Equal("¥10.00", "¥20.00", "¥20.00");
        Figure(html, "fee").Should().Equal("¥1.00", "¥2.00", "¥2.00");
        Figure(html, "subsidy").Should().Equal("¥0.00", "¥0.00", "¥0.00");
        Figure(html, "net").Should().Equal("¥1.00", "¥2.00", "¥2.00");
        Figure(html, "orders").Should().Equal("1", "2", "3");
        Figure(html, "valid-clicks").Should().Equal("1", "2", "2");
        Figure(html, "invalid-clicks").Should().Equal("1", "1", "1");
        Figure(html, "new-sites").Should().Equal("1", "1", "1");
        html.Should().Contain("todo-sites\">1<").And.Contain("todo-payouts\">0<");
    }

    /// <summary>One row of the dashboard: today, 7 days, 30 days.</summary>
    private static List<string> Figure(string html, string key)
    {
        var start = html.IndexOf($"data-figure=\"{key}\"", StringComparison.Ordinal);
        start.Should().BePositive($"the dashboard has a {key} row");
        var row = html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
        return CellPattern().Matches(row).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
    }

    [GeneratedRegex("data-period=\"[^\"]+\">([^<]*)</td>")]
    private static partial Regex CellPattern();
}
