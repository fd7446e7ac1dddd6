using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Web.Tests.Areas.Webmaster;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Sites;

namespace TaobaoAlliance.Web.Tests.Areas.Webmaster.Library;

/// <summary>The item library: keyword search in Chinese and English, filters, every sort, EPC and paging.</summary>
public sealed partial class ItemLibraryTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private sealed record Row(long Id, string TitleZh, string TitleEn, int CategoryId, long ShopId, long PriceFen, int RateBp, int MonthlySales);

    private async Task<List<Row>> ListedAsync()
    {
        await using var db = app.NewDb();
        return await db.Items.Where(i => i.IsListed)
            .Select(i => new Row(i.Id, i.TitleZh, i.TitleEn, i.CategoryId, i.ShopId, i.PriceFen, i.CommissionRateBp ?? i.Shop.GeneralRateBp, i.MonthlySales))
            .ToListAsync();
    }

    private static IEnumerable<long> BySales(IEnumerable<Row> rows) => rows.OrderByDescending(r => r.MonthlySales).ThenBy(r => r.Id).Select(r => r.Id);

    /// <summary>A keyword's default order: the share of the title it covers (the better of the two titles), then sales.</summary>
    private static IEnumerable<long> ByRelevance(IEnumerable<Row> rows, string keyword)
    {
        var term = keyword.Trim().ToLowerInvariant();
        double Share(string title) => title.Length > 0 && title.ToLowerInvariant().Contains(term, StringComparison.Ordinal) ? (double)term.Length / title.Length : 0.0;
        return rows.OrderByDescending(r => Math.Max(Share(r.TitleZh), Share(r.TitleEn))).ThenByDescending(r => r.MonthlySales).ThenBy(r => r.Id).Select(r => r.Id);
    }

    private async Task<string> LibraryAsync(string query)
    {
        using var webmaster = await app.DemoWebmasterAsync(1);
        return await webmaster.Browser.PageAsync("/Webmaster/Library?" + query);
    }

    [Theory]
    [InlineData("蓝牙耳")]
    [InlineData("耳机")]
    [InlineData("EARBUDS")]
    [InlineData("smartwatch")]
    [InlineData("机")] // one or two characters: the title pieces alone decide (ItemLibrary), case-insensitively too
    [InlineData("Wa")]
    public async Task A_keyword_finds_the_items_whose_Chinese_or_English_title_contains_it_best_match_first(string keyword)
    {
        var expected = ByRelevance((await ListedAsync()).Where(r =>
            r.TitleZh.Contains(keyword, StringComparison.OrdinalIgnoreCase) || r.TitleEn.Contains(keyword, StringComparison.OrdinalIgnoreCase)), keyword).ToList();

        var html = await LibraryAsync("q=" + Uri.EscapeDataString(keyword));

        expected.Should().NotBeEmpty();
        WebmasterTesting.ItemIds(html).Should().Equal(expected.Take(20));
        html.Should().Contain($"{expected.Count} items");
    }

    [Fact]
    public async Task A_keyword_ranks_a_title_it_covers_above_a_better_selling_one_that_only_mentions_it()
    {
        var matches = (await ListedAsync()).Where(r => r.TitleZh.Contains("耳机", StringComparison.Ordinal)).ToList();
        var bestSeller = BySales(matches).First();
        var bestMatch = ByRelevance(matches, "耳机").First();

        var ids = WebmasterTesting.ItemIds(await LibraryAsync("q=" + Uri.EscapeDataString("耳机")));

        bestMatch.Should().NotBe(bestSeller, "the seeds hold a case where sales and relevance disagree");
        ids[0].Should().Be(bestMatch);
        ids.Should().Contain(bestSeller);
    }

    [Fact]
    public async Task Percent_and_underscore_in_a_keyword_are_literal()
    {
        var expected = ByRelevance((await ListedAsync()).Where(r => r.TitleZh.Contains("0%", StringComparison.Ordinal) || r.TitleEn.Contains("0%", StringComparison.Ordinal)), "0%").ToList();

        var percent = WebmasterTesting.ItemIds(await LibraryAsync("q=" + Uri.EscapeDataString("0%")));
        var underscore = WebmasterTesting.ItemIds(await LibraryAsync("q=" + Uri.EscapeDataString("_")));

        expected.Should().HaveCountGreaterThan(1).And.HaveCountLessThan(10, "a % that matched anything would find far more");
        percent.Should().Equal(expected);
        underscore.Should().BeEmpty("no title contains an underscore");
    }

    [Fact]
    public async Task Category_shop_price_and_rate_filters_narrow_the_list()
    {
        var all = await ListedAsync();
        async Task ExpectAsync(string query, Func<Row, bool> keep)
        {
            var expected = BySales(all.Where(keep)).ToList();
            var html = await LibraryAsync(query);
            expected.Should().NotBeEmpty(query);
            WebmasterTesting.ItemIds(html).Should().Equal(expected.Take(20), query);
            html.Should().Contain($"{expected.Count} items", query);
        }

        await ExpectAsync("category=3", r => r.CategoryId == 3);
        await ExpectAsync("shop=2", r => r.ShopId == 2);
        await ExpectAsync("minPrice=100&maxPrice=299.9", r => r.PriceFen is >= 10000 and <= 29990);
        await ExpectAsync("minRate=12.5", r => r.RateBp >= 1250);
        await ExpectAsync("category=3&shop=1&minRate=1.2&maxPrice=500", r => r.CategoryId == 3 && r.ShopId == 1 && r.RateBp >= 120 && r.PriceFen <= 50000);
    }

    [Theory]
    [InlineData("Sales")]
    [InlineData("Rate")]
    [InlineData("Commission")]
    [InlineData("PriceAsc")]
    [InlineData("PriceDesc")]
    public async Task Each_sort_orders_the_rows(string sort)
    {
        var all = await ListedAsync();
        var expected = (sort switch
        {
            "Rate" => all.OrderByDescending(r => r.RateBp).ThenByDescending(r => r.MonthlySales).ThenBy(r => r.Id),
            "Commission" => all.OrderByDescending(r => r.PriceFen * r.RateBp).ThenBy(r => r.Id),
            "PriceAsc" => all.OrderBy(r => r.PriceFen).ThenBy(r => r.Id),
            "PriceDesc" => all.OrderByDescending(r => r.PriceFen).ThenBy(r => r.Id),
            _ => all.OrderByDescending(r => r.MonthlySales).ThenBy(r => r.Id),
        }).Select(r => r.Id).Take(20).ToList();

        var html = await LibraryAsync("sort=" + sort);

        WebmasterTesting.ItemIds(html).Should().Equal(expected);
    }

    [Fact]
    public async Task Rows_show_the_price_the_rate_and_what_the_webmaster_earns_after_the_fee_with_the_gross_beside()
    {
        var item = (await ListedAsync()).Single(r => r.Id == 14);
        var commission = new Money(item.PriceFen).Times(new Rate(item.RateBp));
        var earns = commission - commission.Times(new Rate(1_000)); // the default 10 % platform fee

        var html = await LibraryAsync("q=" + Uri.EscapeDataString(item.TitleZh));

        var row = RowHtml(html, 14);
        row.Should().Contain(new Money(item.PriceFen).ToString()).And.Contain($"library-rate\">{new Rate(item.RateBp)}<")
            .And.Contain($"library-earns\">{earns}<").And.Contain($"(commission {commission} before the platform fee)")
            .And.Contain($"You receive {earns}: the commission of {commission} less the platform&#x27;s 10 % fee.").And.Contain($"library-sales\">{item.MonthlySales}<")
            .And.Contain("href=\"/Webmaster/Library/Link?item=14\"");
    }

    [Fact]
    public async Task EPC_is_what_the_last_30_days_of_clicks_earned_per_click_and_sorts_the_list()
    {
        var world = new MoneyWorld(app);
        var webmaster = await world.NewWebmasterAsync();
        var shopItems = (await ListedAsync()).Where(r => r.ShopId == 1).OrderBy(r => r.Id).ToList();
        var (a, b, c) = (shopItems[0], shopItems[1], shopItems[2]);
        var now = world.Now;

        // A: two clicks, one of them bought. B: one click that bought more. C: clicks that bought nothing, and an old
        // click outside the 30 days that earned a lot.
        async Task ClickAndBuyAsync(Row item, DateTimeOffset at, long paidFen)
        {
            var visitor = Guid.NewGuid();
            await world.ClickAsync(webmaster, visitor, item.Id, at);
            if (paidFen > 0) await world.ProcessAsync(MoneyWorld.Paid(1, MoneyWorld.NewOrderId(), at.AddMinutes(5), visitor, MoneyWorld.Line(item.Id, 1, paidFen)));
        }
        await ClickAndBuyAsync(a, now.AddDays(-2), 50_000);
        await ClickAndBuyAsync(a, now.AddDays(-1), 0);
        await ClickAndBuyAsync(b, now.AddDays(-3), 90_000);
        await ClickAndBuyAsync(c, now.AddDays(-1), 0);
        await ClickAndBuyAsync(c, now.AddDays(-40), 5_000_000);

        await using var db = app.NewDb();
        async Task<double> EarnedAsync(long itemId) =>
            (await db.Commissions.Join(db.Clicks, m => m.ClickId, k => k.Id, (m, k) => new { m, k })
                .Where(x => x.k.ItemId == itemId && x.k.OccurredAt >= now.AddDays(-30) && x.m.State == CommissionState.Pending)
                .Select(x => x.m.WebmasterFen + x.m.SubsidyFen).ToListAsync()).Sum();
        var epcA = await EarnedAsync(a.Id) / 2;
        var epcB = await EarnedAsync(b.Id) / 1;
        epcB.Should().BeGreaterThan(epcA);
        epcA.Should().BeGreaterThan(0);

        var html = await LibraryAsync("shop=1&sort=Epc");

        var rest = BySales(shopItems.Where(r => r.Id != a.Id && r.Id != b.Id));
        WebmasterTesting.ItemIds(html).Should().Equal(new[] { b.Id, a.Id }.Concat(rest).Take(20),
            "C's clicks earned nothing in the last 30 days, so it ranks with the items nobody clicked");
        RowHtml(html, b.Id).Should().Contain($"library-epc\" title=\"Clicks in the last 30 days: 1\">{new Money((long)Math.Round(epcB, MidpointRounding.AwayFromZero))}<");
        RowHtml(html, a.Id).Should().Contain($"Clicks in the last 30 days: 2\">{new Money((long)Math.Round(epcA, MidpointRounding.AwayFromZero))}<");
        RowHtml(html, c.Id).Should().Contain("Clicks in the last 30 days: 1\">¥0.00<");
    }

    [Fact]
    public async Task Pages_hold_20_rows_and_their_links_keep_the_search()
    {
        var expected = (await ListedAsync()).Where(r => r.CategoryId == 3).OrderBy(r => r.PriceFen).ThenBy(r => r.Id).Select(r => r.Id).ToList();
        expected.Should().HaveCountGreaterThan(20);

        var first = await LibraryAsync("category=3&sort=PriceAsc");
        var second = await LibraryAsync("category=3&sort=PriceAsc&p=2");

        WebmasterTesting.ItemIds(first).Should().Equal(expected.Take(20));
        WebmasterTesting.ItemIds(second).Should().Equal(expected.Skip(20).Take(20));
        var pageLinks = LinkPattern().Matches(first).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).Where(h => h.Contains("p=2", StringComparison.Ordinal)).ToList();
        pageLinks.Should().NotBeEmpty().And.OnlyContain(h => h.Contains("category=3", StringComparison.Ordinal) && h.Contains("sort=PriceAsc", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("minPrice=abc", "The value 'abc' is not valid for Lowest price (¥).")]
    [InlineData("minPrice=50&maxPrice=10", "The highest price must not be below the lowest.")]
    [InlineData("minRate=95", "Lowest commission rate (%) must be between 0 and 90.")]
    public async Task A_filter_that_does_not_make_sense_is_a_message_not_a_wrong_list(string query, string message)
    {
        var html = await LibraryAsync(query);

        PageText.Messages(html).Should().Contain(message);
        WebmasterTesting.ItemIds(html).Should().BeEmpty();
    }

    [Fact]
    public async Task Items_that_are_not_listed_are_not_in_the_library()
    {
        await using var db = app.NewDb();
        var item = await db.Items.Where(i => i.IsListed).OrderByDescending(i => i.Id).FirstAsync();
        var before = WebmasterTesting.ItemIds(await LibraryAsync("q=" + Uri.EscapeDataString(item.TitleZh)));
        item.IsListed = false;
        await db.SaveChangesAsync();

        var after = WebmasterTesting.ItemIds(await LibraryAsync("q=" + Uri.EscapeDataString(item.TitleZh)));

        before.Should().Contain(item.Id);
        after.Should().NotContain(item.Id);
    }

    [Fact]
    public async Task A_Chinese_browser_sees_Chinese_titles_first_and_the_English_one_smaller()
    {
        using var webmaster = await app.NewWebmasterAsync("zh-CN");
        await using var db = app.NewDb();
        var item = await db.Items.Where(i => i.Id == 14).Select(i => new { i.TitleZh, i.TitleEn }).SingleAsync();

        var html = await webmaster.Browser.PageAsync("/Webmaster/Library?q=" + Uri.EscapeDataString("蓝牙耳"));

        var row = RowHtml(html, 14);
        row.IndexOf(item.TitleZh, StringComparison.Ordinal).Should().BeGreaterThan(0)
            .And.BeLessThan(row.IndexOf("library-other-title", StringComparison.Ordinal));
    }

    private static string RowHtml(string html, long itemId)
    {
        var start = html.IndexOf($"data-item-id=\"{itemId}\"", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, $"item {itemId} is listed");
        var end = html.IndexOf("</li>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    [GeneratedRegex("<a class=\"page-link\" href=\"([^\"]+)\"")]
    private static partial Regex LinkPattern();
}
