using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Web.Api;
using static TaobaoAlliance.Testing.MoneyWorld;

namespace TaobaoAlliance.Web.Tests.Api;

/// <summary>The webmaster API over the item library, links, feeds and reports, each test with its own webmaster, key and items.</summary>
public sealed class LibraryApiTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private readonly MoneyWorld world = new(app);

    private sealed record Caller(TestWebmaster Webmaster, HttpClient Client);

    private async Task<Caller> NewCallerAsync()
    {
        var webmaster = await world.NewWebmasterAsync();
        var key = "ta_test_" + Guid.NewGuid().ToString("N");
        await using (var db = app.NewDb())
        {
            var row = db.Webmasters.Single(w => w.Id == webmaster.Id);
            row.ApiKeyHash = ApiKeys.Hash(key);
            row.ApiKeyPrefix = key[..12];
            await db.SaveChangesAsync();
        }
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return new Caller(webmaster, client);
    }

    /// <summary>A word no seeded title holds: two rare CJK characters, and an ASCII tag.</summary>
    private static (string Zh, string En) NewWords()
    {
        var random = Random.Shared;
        var zh = new string([(char)random.Next(0x9F00, 0x9FA5), (char)random.Next(0x9F00, 0x9FA5)]);
        return (zh, "zq" + Guid.NewGuid().ToString("N")[..8]);
    }

    private async Task<List<long>> AddItemsAsync(int count, string zh, string en, long priceFen = 10_000, int? rateBp = 500, int categoryId = 6,
        bool listed = true)
    {
        await using var db = app.NewDb();
        var items = Enumerable.Range(0, count).Select(i => new Item
        {
            ShopId = 1, CategoryId = categoryId, TitleZh = $"测试{zh}商品{i}", TitleEn = $"Test {en} item {i}", PriceFen = priceFen,
            CommissionRateBp = rateBp, MonthlySales = 7, ImageUrl = "/img/items/food-snacks.svg", IsListed = listed,
            CreatedAt = world.Now, UpdatedAt = world.Now,
        }).ToList();
        db.Items.AddRange(items);
        await db.SaveChangesAsync();
        return [.. items.Select(i => i.Id)];
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static List<long> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64())];

    [Fact]
    public async Task Items_are_found_by_a_two_character_Chinese_keyword_and_by_an_English_one()
    {
        var caller = await NewCallerAsync();
        var (zh, en) = NewWords();
        var ids = await AddItemsAsync(3, zh, en);
        var other = await AddItemsAsync(1, NewWords().Zh, "unrelated" + en[2..]);

        var byChinese = await JsonAsync(await caller.Client.GetAsync($"/api/v1/items?zone={caller.Webmaster.ZoneId}&q={Uri.EscapeDataString(zh)}"), HttpStatusCode.OK);
        var byEnglish = await JsonAsync(await caller.Client.GetAsync($"/api/v1/items?zone={caller.Webmaster.ZoneId}&q={en.ToUpperInvariant()}"), HttpStatusCode.OK);

        Ids(byChinese).Should().BeEquivalentTo(ids);
        Ids(byEnglish).Should().BeEquivalentTo(ids).And.NotContain(other);
        byChinese.GetProperty("totalItems").GetInt32().Should().Be(3);
        byChinese.GetProperty("nextCursor").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Items_carry_the_commission_net_of_the_fee_and_a_long_link_for_the_zone_that_records_a_click()
    {
        var caller = await NewCallerAsync();
        var (zh, en) = NewWords();
        var id = (await AddItemsAsync(1, zh, en, priceFen: 12_345, rateBp: 800)).Single();

        var page = await JsonAsync(await caller.Client.GetAsync($"/api/v1/items?zone={caller.Webmaster.ZoneId}&q={en}"), HttpStatusCode.OK);
        var item = page.GetProperty("items").EnumerateArray().Single();

        item.GetProperty("priceFen").GetInt64().Should().Be(12_345);
        item.GetProperty("commissionRatePercent").GetDecimal().Should().Be(8m);
        item.GetProperty("commissionFen").GetInt64().Should().Be(988); // 12,345 × 8 %
        item.GetProperty("webmasterCommissionFen").GetInt64().Should().Be(988 - 99); // the platform's 10 % fee off
        item.GetProperty("epcFen").GetInt64().Should().Be(0);
        var links = item.GetProperty("links");
        links.GetProperty("shortUrl").ValueKind.Should().Be(JsonValueKind.Null, "no link was made for this zone yet");
        var longUrl = new Uri(links.GetProperty("longUrl").GetString()!);
        longUrl.PathAndQuery.Should().Be($"/c?pid=mm_{caller.Webmaster.Id}_{caller.Webmaster.SiteId}_{caller.Webmaster.ZoneId}&item={id}");

        var click = await caller.Client.GetAsync(longUrl.PathAndQuery);
        click.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await WaitForClickAsync(caller.Webmaster, id);
    }

    private async Task WaitForClickAsync(TestWebmaster webmaster, long itemId)
    {
        for (var i = 0; i < 100; i++)
        {
            await using var db = app.NewDb();
            if (db.Clicks.Any(c => c.WebmasterId == webmaster.Id && c.ZoneId == webmaster.ZoneId && c.ItemId == itemId)) return;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"no click of item {itemId} in zone {webmaster.ZoneId} was recorded");
    }

    [Fact]
    public async Task Items_are_filtered_by_price_rate_and_category()
    {
        var caller = await NewCallerAsync();
        var (zh, en) = NewWords();
        var cheapLow = (await AddItemsAsync(1, zh, en, priceFen: 1_000, rateBp: 300)).Single();
        var cheapHigh = (await AddItemsAsync(1, zh, en, priceFen: 1_000, rateBp: 2_000)).Single();
        var dearMid = (await AddItemsAsync(1, zh, en, priceFen: 50_000, rateBp: 1_000)).Single();
        var otherCategory = (await AddItemsAsync(1, zh, en, priceFen: 1_000, rateBp: 1_000, categoryId: 2)).Single();
        async Task<List<long>> Search(string filters) =>
            Ids(await JsonAsync(await caller.Client.GetAsync($"/api/v1/items?zone={caller.Webmaster.ZoneId}&q={en}&{filters}"), HttpStatusCode.OK));

        (await Search("maxPrice=100")).Should().BeEquivalentTo([cheapLow, cheapHigh, otherCategory]);
        (await Search("minPrice=100.01&maxPrice=500")).Should().BeEquivalentTo([dearMid]);
        (await Search("minRate=5&maxRate=10")).Should().BeEquivalentTo([dearMid, otherCategory]);
        (await Search("minRate=15")).Should().BeEquivalentTo([cheapHigh]);
        (await Search("category=2")).Should().BeEquivalentTo([otherCategory]);
        (await Search("sort=rate")).Should().Equal([cheapHigh, Math.Min(dearMid, otherCategory), Math.Max(dearMid, otherCategory), cheapLow]);
        (await Search("sort=epc")).Should().HaveCount(4);
    }

    [Theory]
    [InlineData("sort=EPC")]
    [InlineData("sort=priceAsc")]
    [InlineData("")]
    public async Task Paging_with_the_cursor_reads_every_match_once(string sort)
    {
        var caller = await NewCallerAsync();
        var (zh, en) = NewWords();
        // Equal prices, rates and sales: only the tiebreaker orders them.
        var ids = await AddItemsAsync(45, zh, en);

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = $"/api/v1/items?zone={caller.Webmaster.ZoneId}&q={Uri.EscapeDataString(zh)}&{sort}" + (cursor is null ? "" : "&cursor=" + cursor);
            var page = await JsonAsync(await caller.Client.GetAsync(url), HttpStatusCode.OK);
            seen.AddRange(Ids(page));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        pages.Should().Be(3);
        seen.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(ids);
    }

    [Theory]
    [InlineData("q=x")] // no zone
    [InlineData("zone={zone}&sort=loudest")]
    [InlineData("zone={zone}&sort=99")]
    [InlineData("zone={zone}&minPrice=10&maxPrice=5")]
    [InlineData("zone={zone}&minRate=20&maxRate=5")]
    [InlineData("zone={zone}&minRate=95")]
    [InlineData("zone={zone}&minPrice=abc")]
    [InlineData("zone={zone}&cursor=bm90LWEtY3Vyc29y")]
    public async Task A_bad_search_is_a_400_problem(string query)
    {
        var caller = await NewCallerAsync();

        var response = await caller.Client.GetAsync("/api/v1/items?" + query.Replace("{zone}", caller.Webmaster.ZoneId.ToString(), StringComparison.Ordinal));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task A_cursor_of_another_search_is_refused()
    {
        var caller = await NewCallerAsync();
        var (zh, en) = NewWords();
        await AddItemsAsync(25, zh, en);
        var first = await JsonAsync(await caller.Client.GetAsync($"/api/v1/items?zone={caller.Webmaster.ZoneId}&q={en}"), HttpStatusCode.OK);
        var cursor = first.GetProperty("nextCursor").GetString();

        var response = await caller.Client.GetAsync($"/api/v1/items?zone={caller.Webmaster.ZoneId}&q={en}&sort=rate&cursor={cursor}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Another_webmasters_zone_is_not_found_and_an_unapproved_sites_zone_is_refused()
    {
        var caller = await NewCallerAsync();
        var other = await world.NewWebmasterAsync();
        var pending = await app.AddSiteAsync(caller.Webmaster.Id, SiteState.Pending, "Pending zone");

        (await caller.Client.GetAsync($"/api/v1/items?zone={other.ZoneId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await caller.Client.GetAsync($"/api/v1/feed?zone={other.ZoneId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await caller.Client.GetAsync($"/api/v1/items?zone={pending.ZoneIds[0]}")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Posting_a_link_creates_it_once_and_its_short_link_records_a_click()
    {
        var caller = await NewCallerAsync();
        var (zh, en) = NewWords();
        var id = (await AddItemsAsync(1, zh, en)).Single();
        var request = new { itemId = id, zoneId = caller.Webmaster.ZoneId };

        var created = await JsonAsync(await caller.Client.PostAsJsonAsync("/api/v1/links", request), HttpStatusCode.Created);
        var again = await JsonAsync(await caller.Client.PostAsJsonAsync("/api/v1/links", request), HttpStatusCode.OK);

        created.GetProperty("created").GetBoolean().Should().BeTrue();
        again.GetProperty("created").GetBoolean().Should().BeFalse();
        again.GetProperty("id").GetInt64().Should().Be(created.GetProperty("id").GetInt64());
        created.GetProperty("pid").GetString().Should().Be($"mm_{caller.Webmaster.Id}_{caller.Webmaster.SiteId}_{caller.Webmaster.ZoneId}");
        created.GetProperty("textLink").GetString().Should().Contain(created.GetProperty("shortUrl").GetString());
        var shortUrl = new Uri(created.GetProperty("shortUrl").GetString()!);
        shortUrl.AbsolutePath.Should().Be("/c/" + created.GetProperty("code").GetString());

        var listed = await JsonAsync(await caller.Client.GetAsync($"/api/v1/items?zone={caller.Webmaster.ZoneId}&q={en}"), HttpStatusCode.OK);
        listed.GetProperty("items")[0].GetProperty("links").GetProperty("shortUrl").GetString().Should().Be(shortUrl.AbsoluteUri);

        var click = await caller.Client.GetAsync(shortUrl.PathAndQuery);
        click.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await WaitForClickAsync(caller.Webmaster, id);
    }

    [Fact]
    public async Task A_link_the_library_page_would_refuse_is_a_400_problem_and_makes_nothing()
    {
        var caller = await NewCallerAsync();
        var other = await world.NewWebmasterAsync();
        var pending = await app.AddSiteAsync(caller.Webmaster.Id, SiteState.Pending, "Pending zone");
        var (zh, en) = NewWords();
        var listed = (await AddItemsAsync(1, zh, en)).Single();
        var delisted = (await AddItemsAsync(1, zh, en, listed: false)).Single();

        var refusals = new (object Body, string Why)[]
        {
            (new { itemId = 999_999_999L, zoneId = caller.Webmaster.ZoneId }, "ItemNotFound"),
            (new { itemId = delisted, zoneId = caller.Webmaster.ZoneId }, "ItemNotFound"),
            (new { itemId = listed, zoneId = other.ZoneId }, "ZoneNotFound"),
            (new { itemId = listed, zoneId = pending.ZoneIds[0] }, "SiteNotApproved"),
            (new { itemId = listed }, "Bad request"),
        };
        foreach (var (body, why) in refusals)
        {
            var response = await caller.Client.PostAsJsonAsync("/api/v1/links", body);
            var problem = await JsonAsync(response, HttpStatusCode.BadRequest);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            problem.GetProperty("title").GetString().Should().Be(why);
        }
        var malformed = await caller.Client.PostAsync("/api/v1/links", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        malformed.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        await using var db = app.NewDb();
        db.Links.Count(l => l.WebmasterId == caller.Webmaster.Id || l.ZoneId == other.ZoneId).Should().Be(0);
    }

    [Fact]
    public async Task The_feed_lists_the_zones_linked_items_as_json_and_csv()
    {
        var caller = await NewCallerAsync();
        var (zh, en) = NewWords();
        var ids = await AddItemsAsync(2, zh, en, priceFen: 2_990, rateBp: 1_000);
        await AddItemsAsync(1, zh, en); // not linked: not in the feed
        var codes = new List<string>();
        foreach (var id in ids)
        {
            var link = await JsonAsync(await caller.Client.PostAsJsonAsync("/api/v1/links", new { itemId = id, zoneId = caller.Webmaster.ZoneId }), HttpStatusCode.Created);
            codes.Add(link.GetProperty("code").GetString()!);
        }

        var json = await JsonAsync(await caller.Client.GetAsync($"/api/v1/feed?zone={caller.Webmaster.ZoneId}&format=json"), HttpStatusCode.OK);
        var csvResponse = await caller.Client.GetAsync($"/api/v1/feed?zone={caller.Webmaster.ZoneId}&format=csv");
        var csv = await csvResponse.Content.ReadAsStringAsync();

        var rows = json.EnumerateArray().ToList();
        rows.Select(r => r.GetProperty("itemId").GetInt64()).Should().Equal(ids);
        rows[0].GetProperty("title").GetString().Should().Be($"Test {en} item 0");
        rows[0].GetProperty("priceFen").GetInt64().Should().Be(2_990);
        rows[0].GetProperty("commissionFen").GetInt64().Should().Be(299);
        rows[0].GetProperty("webmasterCommissionFen").GetInt64().Should().Be(269);
        rows[0].GetProperty("imageUrl").GetString().Should().StartWith("http").And.EndWith("/img/items/food-snacks.svg");
        rows.Select(r => new Uri(r.GetProperty("shortUrl").GetString()!).AbsolutePath).Should().Equal(codes.Select(c => "/c/" + c));

        csvResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        csvResponse.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines[0].Should().Be("item_id,title,price_yuan,image_url,commission_rate_percent,commission_yuan,webmaster_commission_yuan,short_url,long_url,paused");
        lines.Should().HaveCount(3);
        lines[1].Should().StartWith($"{ids[0]},Test {en} item 0,29.90,").And.Contain(",10,2.99,2.69,").And.Contain("/c/" + codes[0]);

        (await caller.Client.GetAsync($"/api/v1/feed?zone={caller.Webmaster.ZoneId}&format=xml")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("Day")]
    [InlineData("Site")]
    [InlineData("Zone")]
    [InlineData("Item")]
    public async Task The_report_has_the_report_pages_figures(string group)
    {
        var caller = await NewCallerAsync();
        var second = await app.NewSiteAsync(caller.Webmaster, "Second site", "Second zone");
        var items = await world.ItemsAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(caller.Webmaster, visitor, items.Clicked.Id, world.Now.AddDays(-2));
        await world.ClickAsync(second, Guid.NewGuid(), items.SameShop.Id, world.Now.AddDays(-1));
        await world.ClickAsync(second, Guid.NewGuid(), items.SameShop.Id, world.Now.AddDays(-1), valid: false);
        await world.ProcessAsync(Paid(1, NewOrderId(), world.Now.AddDays(-2).AddMinutes(5), visitor, Line(items.Clicked.Id, 2, 30_000)));
        var today = ChinaTime.Today(app.Clock);
        var period = new ReportPeriod(today.AddDays(-6), today);

        var answer = await JsonAsync(await caller.Client.GetAsync(
            $"/api/v1/reports?from={period.From:yyyy-MM-dd}&to={period.To:yyyy-MM-dd}&group={group.ToLowerInvariant()}"), HttpStatusCode.OK);

        IReadOnlyList<ReportRow> expected;
        using (var scope = app.Services.CreateScope())
        {
            expected = await scope.ServiceProvider.GetRequiredService<WebmasterReport>()
                .RowsAsync(caller.Webmaster.Id, period, Enum.Parse<ReportGrouping>(group), chinese: false);
        }
        expected.Should().NotBeEmpty();
        var rows = answer.GetProperty("rows").EnumerateArray().ToList();
        rows.Select(r => (r.GetProperty("key").GetInt64(), r.GetProperty("label").GetString(),
                r.GetProperty("metrics").GetProperty("validClicks").GetInt64(), r.GetProperty("metrics").GetProperty("invalidClicks").GetInt64(),
                r.GetProperty("metrics").GetProperty("orders").GetInt64(), r.GetProperty("metrics").GetProperty("gmvFen").GetInt64(),
                r.GetProperty("metrics").GetProperty("estimatedCommissionFen").GetInt64()))
            .Should().Equal(expected.Select(r => (r.Key, (string?)r.Label, r.Metrics.ValidClicks, r.Metrics.InvalidClicks, r.Metrics.Orders,
                r.Metrics.Gmv.Fen, r.Metrics.EstimatedCommission.Fen)));
        var total = answer.GetProperty("total");
        total.GetProperty("validClicks").GetInt64().Should().Be(2);
        total.GetProperty("invalidClicks").GetInt64().Should().Be(1);
        total.GetProperty("orders").GetInt64().Should().Be(1);
        total.GetProperty("gmvFen").GetInt64().Should().Be(30_000);
    }

    [Theory]
    [InlineData("group=week")]
    [InlineData("from=2026-05-10&to=2026-05-01")]
    [InlineData("from=2020-01-01&to=2026-01-01")]
    [InlineData("from=yesterday")]
    public async Task A_bad_report_query_is_a_400_problem(string query)
    {
        var caller = await NewCallerAsync();

        var response = await caller.Client.GetAsync("/api/v1/reports?" + query);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory]
    [InlineData("GET", "/api/v1/items?zone=1")]
    [InlineData("GET", "/api/v1/feed?zone=1")]
    [InlineData("GET", "/api/v1/reports")]
    [InlineData("POST", "/api/v1/links")]
    public async Task Without_a_webmaster_key_every_endpoint_answers_401(string method, string url)
    {
        using var anonymous = app.CreateClient();
        using var wrongKey = app.CreateClient();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "ta_not_a_key");
        using var seller = new BrowserSession(app);
        await seller.SignInAsync("seller1@taobaoalliance.local", "Seller1!demo");
        using var sellerCookie = app.CreateClient(new() { AllowAutoRedirect = false });
        sellerCookie.DefaultRequestHeaders.Add("Cookie", $"alliance_auth={seller.Cookie("alliance_auth")}");

        foreach (var client in new[] { anonymous, wrongKey, sellerCookie })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method == "POST") request.Content = JsonContent.Create(new { itemId = 1, zoneId = 1 });
            var response = await client.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, url);
        }
    }
}
