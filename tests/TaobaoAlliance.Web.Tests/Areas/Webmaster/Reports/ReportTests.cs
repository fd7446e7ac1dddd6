using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using static TaobaoAlliance.Testing.MoneyWorld;
using TaobaoAlliance.Web.Tests.Areas.Webmaster;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Balance;

namespace TaobaoAlliance.Web.Tests.Areas.Webmaster.Reports;

/// <summary>The report page: groupings, sums, rates, the CSV export, the chart and the period rules.</summary>
public sealed class ReportTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private readonly MoneyWorld world = new(app);

    /// <summary>
    /// Two sites (A with zones A1 and A2, B with B1), two items (X, Y), over three days:
    /// A1·X: 3 valid + 1 invalid clicks two days ago, one order of ¥100 at 10 % (¥9);
    /// A2·Y: 1 valid click yesterday, one order of ¥60 at 20 % (¥10.80);
    /// B1·X: 2 valid clicks today, one order of ¥100 at 10 % (¥9).
    /// </summary>
    private async Task<(SignedInWebmaster Me, string ItemX, string ItemY)> ArrangeAsync()
    {
        var me = await app.NewSignedInWebmasterAsync("Site A", "A1");
        var a1 = me.Webmaster;
        var a2 = await app.NewZoneAsync(a1, "A2");
        var b1 = await app.NewSiteAsync(a1, "Site B", "B1");
        var (x, y, _) = await world.ItemsAsync(shopId: 6);

        var buyers = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToArray();
        for (var i = 0; i < 3; i++) await world.ClickAsync(a1, buyers[i], x.Id, app.DaysAgo(2), itemRateBp: 1_000);
        await world.ClickAsync(a1, Guid.NewGuid(), x.Id, app.DaysAgo(2), valid: false);
        await world.ProcessAsync(Paid(x.ShopId, NewOrderId(), app.DaysAgo(2, minutes: 30), buyers[0], Line(x.Id, 1, 10_000)));

        await world.ClickAsync(a2, buyers[3], y.Id, app.DaysAgo(1), itemRateBp: 2_000);
        await world.ProcessAsync(Paid(y.ShopId, NewOrderId(), app.DaysAgo(1, minutes: 30), buyers[3], Line(y.Id, 1, 6_000)));

        for (var i = 4; i < 6; i++) await world.ClickAsync(b1, buyers[i], x.Id, app.DaysAgo(0), itemRateBp: 1_000);
        await world.ProcessAsync(Paid(x.ShopId, NewOrderId(), app.DaysAgo(0, minutes: 1), buyers[4], Line(x.Id, 1, 10_000)));

        await using var db = app.NewDb();
        var titles = await db.Items.Where(i => i.Id == x.Id || i.Id == y.Id).ToDictionaryAsync(i => i.Id, i => i.TitleEn);
        return (me, titles[x.Id], titles[y.Id]);
    }

    private static async Task<PageTable> TableAsync(BrowserSession browser, string query = "")
    {
        var html = await browser.PageAsync("/Webmaster/Reports" + query);
        return ReportTesting.ReportTable(html) ?? throw new InvalidOperationException("The report has no table:\n" + html);
    }

    [Fact]
    public async Task The_report_by_day_site_zone_and_item_sums_the_arranged_clicks_orders_and_commission()
    {
        var (me, x, y) = await ArrangeAsync();
        using var _ = me;
        string Day(int daysAgo) => ReportTesting.Iso(ReportTesting.ChinaDay(app.DaysAgo(daysAgo)));

        var byDay = await TableAsync(me.Browser);
        byDay.Headers.Should().Equal("Day", "Valid clicks", "Invalid clicks", "Orders", "GMV", "Conversion rate", "EPC",
            "Estimated commission", "Settled commission", "CPC earnings");
        byDay.Rows.Select(r => r[0]).Should().Equal(Day(0), Day(1), Day(2));
        byDay.Row(Day(2)).Should().Equal(Day(2), "3", "1", "1", "¥100.00", "33.33%", "¥3.00", "¥9.00", "¥0.00", "¥0.00");
        byDay.Row(Day(1)).Should().Equal(Day(1), "1", "0", "1", "¥60.00", "100.00%", "¥10.80", "¥10.80", "¥0.00", "¥0.00");
        byDay.Row(Day(0)).Should().Equal(Day(0), "2", "0", "1", "¥100.00", "50.00%", "¥4.50", "¥9.00", "¥0.00", "¥0.00");
        byDay.Total.Should().Equal("Total", "6", "1", "3", "¥260.00", "50.00%", "¥4.80", "¥28.80", "¥0.00", "¥0.00");

        var bySite = await TableAsync(me.Browser, "?group=site");
        bySite.Rows.Select(r => r[0]).Should().Equal("Site A", "Site B");
        bySite.Row("Site A").Should().Equal("Site A", "4", "1", "2", "¥160.00", "50.00%", "¥4.95", "¥19.80", "¥0.00", "¥0.00");
        bySite.Row("Site B").Should().Equal("Site B", "2", "0", "1", "¥100.00", "50.00%", "¥4.50", "¥9.00", "¥0.00", "¥0.00");
        bySite.Total.Should().Equal(byDay.Total);

        var byZone = await TableAsync(me.Browser, "?group=zone");
        byZone.Rows.Should().HaveCount(3);
        byZone.Row("Site A › A1").Should().Equal("Site A › A1", "3", "1", "1", "¥100.00", "33.33%", "¥3.00", "¥9.00", "¥0.00", "¥0.00");
        byZone.Row("Site A › A2").Should().Equal("Site A › A2", "1", "0", "1", "¥60.00", "100.00%", "¥10.80", "¥10.80", "¥0.00", "¥0.00");
        byZone.Row("Site B › B1").Should().Equal("Site B › B1", "2", "0", "1", "¥100.00", "50.00%", "¥4.50", "¥9.00", "¥0.00", "¥0.00");
        byZone.Total.Should().Equal(byDay.Total);

        var byItem = await TableAsync(me.Browser, "?group=item");
        byItem.Rows.Select(r => r[0]).Should().Equal(x, y);
        byItem.Row(x).Should().Equal(x, "5", "1", "2", "¥200.00", "40.00%", "¥3.60", "¥18.00", "¥0.00", "¥0.00");
        byItem.Row(y).Should().Equal(y, "1", "0", "1", "¥60.00", "100.00%", "¥10.80", "¥10.80", "¥0.00", "¥0.00");
        byItem.Total.Should().Equal(byDay.Total);
    }

    [Fact]
    public async Task The_CSV_export_has_exactly_the_rows_and_columns_of_the_table()
    {
        var (me, _, _) = await ArrangeAsync();
        using var _ = me;
        // A name with a comma and quotes must survive the file's quoting.
        var tricky = await app.NewSiteAsync(me.Webmaster, "Tom's \"best\", deals", "Z");
        await world.ClickAsync(tricky, Guid.NewGuid(), (await world.ItemsAsync(shopId: 6)).Clicked.Id, app.DaysAgo(0));
        var from = ReportTesting.Iso(ReportTesting.ChinaDay(app.DaysAgo(6)));
        var to = ReportTesting.Iso(ReportTesting.ChinaDay(app.DaysAgo(0)));

        foreach (var group in new[] { "day", "site", "zone", "item" })
        {
            var query = $"?from={from}&to={to}&group={group}";
            var table = await TableAsync(me.Browser, query);
            var page = await me.Browser.PageAsync("/Webmaster/Reports" + query);
            var href = WebUtility.HtmlDecode(Regex.Match(page, "id=\"export-csv\" href=\"([^\"]+)\"").Groups[1].Value);
            href.Should().Contain("handler=Csv").And.Contain($"from={from}").And.Contain($"to={to}").And.Contain($"group={group}");

            using var response = await me.Browser.GetAsync(href);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
            response.Content.Headers.ContentDisposition!.FileNameStar.Should().Be($"report-by-{group}-{from}-to-{to}.csv");
            var bytes = await response.Content.ReadAsByteArrayAsync();
            bytes.Take(3).Should().Equal(Encoding.UTF8.GetPreamble(), "Excel reads UTF-8 (and so Chinese) only after a byte-order mark");
            var csv = ReportTesting.ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));

            // The file holds the page's cells, money as plain yuan with two decimals and "no rate" as an empty cell.
            static string AsInFile(string cell) => cell == "—" ? "" : cell.Replace("¥", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
            List<IReadOnlyList<string>> expected = [table.Headers, .. table.Rows.Select(r => (IReadOnlyList<string>)[r[0], .. r.Skip(1).Select(AsInFile)]),
                (IReadOnlyList<string>)[table.Total[0], .. table.Total.Skip(1).Select(AsInFile)]];
            csv.Should().HaveCount(expected.Count, $"one header, one line per row and the total ({group})");
            for (var i = 0; i < expected.Count; i++) csv[i].Should().Equal(expected[i], $"line {i} of the {group} file");
        }
    }

    [Fact]
    public async Task A_name_that_looks_like_a_spreadsheet_formula_is_exported_as_text()
    {
        using var me = await app.NewSignedInWebmasterAsync("=HYPERLINK(\"http://evil.example\",\"x\")", "Zone");
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        await world.ClickAsync(me.Webmaster, Guid.NewGuid(), item.Id, app.DaysAgo(0));

        using var response = await me.Browser.GetAsync("/Webmaster/Reports?handler=Csv&group=site");
        var csv = ReportTesting.ParseCsv(Encoding.UTF8.GetString((await response.Content.ReadAsByteArrayAsync())[3..]));

        csv[1][0].Should().Be("'=HYPERLINK(\"http://evil.example\",\"x\")");
        (await TableAsync(me.Browser, "?group=site")).Rows[0][0].Should().Be("=HYPERLINK(\"http://evil.example\",\"x\")", "the page shows the name as typed");
    }

    [Fact]
    public async Task Another_webmasters_clicks_and_orders_never_show_in_any_grouping()
    {
        using var me = await app.NewSignedInWebmasterAsync("Mine", "My zone");
        var other = await world.NewWebmasterAsync();
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var visitor = Guid.NewGuid();
        await world.ClickAsync(other, visitor, item.Id, app.DaysAgo(0), itemRateBp: 1_000);
        await world.ClickAsync(other, Guid.NewGuid(), item.Id, app.DaysAgo(0), valid: false);
        await world.ProcessAsync(Paid(item.ShopId, NewOrderId(), app.DaysAgo(0, minutes: 1), visitor, Line(item.Id, 1, 10_000)));
        await world.ClickAsync(me.Webmaster, Guid.NewGuid(), item.Id, app.DaysAgo(0));

        foreach (var group in new[] { "day", "site", "zone", "item" })
        {
            var table = await TableAsync(me.Browser, "?group=" + group);
            table.Rows.Should().ContainSingle($"only my own click shows ({group})");
            table.Total.Should().Equal("Total", "1", "0", "0", "¥0.00", "0.00%", "¥0.00", "¥0.00", "¥0.00", "¥0.00");
        }
        await using var db = app.NewDb();
        var otherSite = await db.Sites.Where(s => s.Id == other.SiteId).Select(s => s.Name).SingleAsync();
        (await me.Browser.PageAsync("/Webmaster/Reports?group=site")).Should().NotContain(otherSite);
    }

    [Fact]
    public async Task Invalid_clicks_are_counted_on_their_own_and_never_as_valid_clicks()
    {
        using var me = await app.NewSignedInWebmasterAsync();
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        for (var i = 0; i < 3; i++) await world.ClickAsync(me.Webmaster, Guid.NewGuid(), item.Id, app.DaysAgo(0), valid: false);

        var table = await TableAsync(me.Browser);

        table.Total.Should().Equal("Total", "0", "3", "0", "¥0.00", "—", "—", "¥0.00", "¥0.00", "¥0.00");
    }

    [Fact]
    public async Task Refunds_lower_the_GMV_and_the_estimated_commission()
    {
        using var me = await app.NewSignedInWebmasterAsync();
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var visitor = Guid.NewGuid();
        await world.ClickAsync(me.Webmaster, visitor, item.Id, app.DaysAgo(1), itemRateBp: 1_000);
        var order = NewOrderId();
        await world.ProcessAsync(Paid(item.ShopId, order, app.DaysAgo(1, minutes: 30), visitor, Line(item.Id, 2, 20_000)));
        await world.ProcessAsync(Refunded(item.ShopId, order, app.DaysAgo(1, minutes: 60), Line(item.Id, 1, 0)));

        var table = await TableAsync(me.Browser);

        table.Total.Should().Equal(["Total", "1", "0", "1", "¥100.00", "100.00%", "¥9.00", "¥9.00", "¥0.00", "¥0.00"],
            "one of the two units was refunded: ¥100 of ¥200 stays paid and earns ¥9 of the ¥18");
    }

    [Fact]
    public async Task CPC_earnings_count_under_the_day_site_zone_and_item_of_their_click()
    {
        using var me = await app.NewSignedInWebmasterAsync("Smart site", "Smart zone");
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var click = await world.ClickAsync(me.Webmaster, Guid.NewGuid(), item.Id, app.DaysAgo(2));
        await app.CpcChargeAsync(me.Webmaster, click, item.ShopId, shareFen: 35, app.DaysAgo(2));

        foreach (var group in new[] { "day", "site", "zone", "item" })
        {
            var table = await TableAsync(me.Browser, "?group=" + group);
            table.Rows.Should().ContainSingle().Which[^1].Should().Be("¥0.35");
        }
    }

    [Fact]
    public async Task An_empty_period_shows_a_friendly_empty_state_instead_of_a_table()
    {
        using var me = await app.NewSignedInWebmasterAsync();

        var html = await me.Browser.PageAsync("/Webmaster/Reports");

        ReportTesting.ReportTable(html).Should().BeNull();
        html.Should().Contain("report-empty").And.Contain("No clicks, orders or earnings in this period.");
    }

    [Theory]
    [InlineData("from=2025-01-01&to=2026-01-02", "A report covers at most 366 days; this period has 367.")]
    [InlineData("from=2026-10-10&to=2026-10-01", "The end date must be on or after the start date.")]
    [InlineData("from=1900-01-01&to=1900-01-02", "Choose dates between 2000-01-01 and 2099-12-31.")]
    [InlineData("from=yesterday&to=2026-10-01", "The value 'yesterday' is not valid for From.")]
    public async Task A_period_the_report_cannot_cover_is_refused_with_a_message(string query, string message)
    {
        using var me = await app.NewSignedInWebmasterAsync();

        var html = await me.Browser.PageAsync("/Webmaster/Reports?" + query);
        using var csv = await me.Browser.GetAsync("/Webmaster/Reports?handler=Csv&" + query);

        PageText.FormErrors(html).Should().Be(message);
        ReportTesting.ReportTable(html).Should().BeNull();
        csv.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        csv.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task A_period_of_exactly_366_days_is_accepted()
    {
        using var me = await app.NewSignedInWebmasterAsync();
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        await world.ClickAsync(me.Webmaster, Guid.NewGuid(), item.Id, app.DaysAgo(365));
        var from = ReportTesting.Iso(ReportTesting.ChinaDay(app.DaysAgo(365)));
        var to = ReportTesting.Iso(ReportTesting.ChinaDay(app.DaysAgo(0)));

        var table = await TableAsync(me.Browser, $"?from={from}&to={to}");

        table.Rows.Should().ContainSingle().Which[0].Should().Be(from);
    }

    [Fact]
    public async Task The_chart_is_an_accessible_inline_svg_with_one_point_per_day_of_the_last_30_days()
    {
        using var me = await app.NewSignedInWebmasterAsync();
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var visitor = Guid.NewGuid();
        await world.ClickAsync(me.Webmaster, visitor, item.Id, app.DaysAgo(0), itemRateBp: 1_000);
        await world.ClickAsync(me.Webmaster, Guid.NewGuid(), item.Id, app.DaysAgo(0));
        await world.ProcessAsync(Paid(item.ShopId, NewOrderId(), app.DaysAgo(0, minutes: 1), visitor, Line(item.Id, 1, 10_000)));
        await world.ClickAsync(me.Webmaster, Guid.NewGuid(), item.Id, app.DaysAgo(29));
        await world.ClickAsync(me.Webmaster, Guid.NewGuid(), item.Id, app.DaysAgo(30));

        foreach (var page in new[] { "/Webmaster/Reports", "/Webmaster" })
        {
            var html = await me.Browser.PageAsync(page);
            var svg = Regex.Match(html, "<svg\\b[^>]*>.*?</svg>", RegexOptions.Singleline).Value;

            svg.Should().MatchRegex("^<svg[^>]*role=\"img\"[^>]*aria-labelledby=\"([^\" ]+) ([^\"]+)\"");
            svg.Should().Contain("<title id=\"chart-30-days-title\">Valid clicks and estimated commission, last 30 days</title>");
            svg.Should().Contain("<desc id=\"chart-30-days-desc\">").And.Contain("3 valid clicks and ¥9.00 estimated commission");
            svg.Should().NotContain("style=").And.NotContain("<script").And.NotContain("http", "no CDN and nothing fetched");

            var points = Regex.Matches(svg, "<circle class=\"chart-point\" data-day=\"([^\"]+)\" data-fen=\"(\\d+)\"").ToList();
            var days = Enumerable.Range(0, 30).Select(d => ReportTesting.Iso(ReportTesting.ChinaDay(app.DaysAgo(29 - d)))).ToList();
            points.Select(p => p.Groups[1].Value).Should().Equal(days, "one point per day of the last 30, oldest first");
            points[^1].Groups[2].Value.Should().Be("900", "today's point is today's estimated commission");
            points.Take(29).Should().OnlyContain(p => p.Groups[2].Value == "0");
            Regex.Matches(svg, "<rect class=\"chart-bar\" data-day=\"").Should().HaveCount(30);
            Regex.Match(svg, $"<rect class=\"chart-bar\" data-day=\"{days[^1]}\"[^>]*height=\"([\\d.]+)\"").Groups[1].Value
                .Should().NotBe("0", "today had two valid clicks");
        }
    }
}
