using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Reports;
using TaobaoAlliance.Data.Tracking;
using TaobaoAlliance.Web.Tests.Clicks;

namespace TaobaoAlliance.Web.Tests.Data;

/// <summary>
/// The click rollups (Data/Reports/ClickRollups.cs) the reports read instead of raw clicks: whichever way clicks
/// are written, every rollup table equals the same aggregation of the clicks table computed by SQL. The SQL here
/// takes the China day by the zone's name ('Asia/Shanghai'), not by the trigger's fixed offset, so a wrong day
/// in the trigger cannot agree with it by copying it.
/// </summary>
public sealed class ClickRollupTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private static readonly string[] Reasons = ["bot_user_agent", "rate_limited", "site_not_approved", "repeat"];

    /// <summary>One row of a rollup or of the raw aggregation: its key as text, and its counts.</summary>
    private sealed record Row(string Key, long Valid, long Invalid);

    private static readonly (string Name, string Raw, string Rollup)[] Tables =
    [
        ("click_day_sites",
            """
            SELECT concat_ws('/', webmaster_id, (occurred_at AT TIME ZONE 'Asia/Shanghai')::date, site_id, zone_id) AS key,
                   count(*) FILTER (WHERE is_valid) AS valid, count(*) FILTER (WHERE NOT is_valid) AS invalid
            FROM clicks GROUP BY 1
            """,
            "SELECT concat_ws('/', webmaster_id, day, site_id, zone_id) AS key, sum(valid)::bigint AS valid, sum(invalid)::bigint AS invalid FROM click_day_sites GROUP BY 1"),
        ("click_day_items",
            """
            SELECT concat_ws('/', (occurred_at AT TIME ZONE 'Asia/Shanghai')::date, item_id) AS key,
                   count(*) FILTER (WHERE is_valid) AS valid, count(*) FILTER (WHERE NOT is_valid) AS invalid
            FROM clicks GROUP BY 1
            """,
            "SELECT concat_ws('/', day, item_id) AS key, sum(valid)::bigint AS valid, sum(invalid)::bigint AS invalid FROM click_day_items GROUP BY 1"),
        ("click_day_webmaster_items",
            """
            SELECT concat_ws('/', webmaster_id, (occurred_at AT TIME ZONE 'Asia/Shanghai')::date, item_id) AS key,
                   count(*) FILTER (WHERE is_valid) AS valid, count(*) FILTER (WHERE NOT is_valid) AS invalid
            FROM clicks GROUP BY 1
            """,
            "SELECT concat_ws('/', webmaster_id, day, item_id) AS key, sum(valid)::bigint AS valid, sum(invalid)::bigint AS invalid FROM click_day_webmaster_items GROUP BY 1"),
        ("click_day_reasons",
            """
            SELECT concat_ws('/', (occurred_at AT TIME ZONE 'Asia/Shanghai')::date, site_id, CASE WHEN is_valid THEN 'valid' ELSE 'invalid:' || invalid_reason END) AS key,
                   count(*) AS valid, 0::bigint AS invalid
            FROM clicks GROUP BY 1
            """,
            "SELECT concat_ws('/', day, site_id, CASE WHEN reason = '' THEN 'valid' ELSE 'invalid:' || reason END) AS key, sum(clicks)::bigint AS valid, 0::bigint AS invalid FROM click_day_reasons GROUP BY 1"),
    ];

    [Fact]
    public async Task Every_rollup_equals_the_raw_aggregation_over_random_clicks_from_every_writer()
    {
        var random = new Random(20261129);
        var clicks = await RandomClicksAsync(random, 900);

        // The click writer's binary COPY, many at once so batches hold several clicks of the same keys.
        var writer = app.Services.GetRequiredService<ClickWriter>();
        await Task.WhenAll(clicks.Take(600).Select(writer.WriteAsync));
        // EF inserts, as the CPC click path makes them, a statement of many rows and one of a single row.
        await using (var db = app.NewDb())
        {
            db.Clicks.AddRange(clicks.Skip(600).Take(200));
            await db.SaveChangesAsync();
            db.Clicks.Add(clicks[800]);
            await db.SaveChangesAsync();
        }
        // The spool's replay (INSERT … ON CONFLICT DO NOTHING): a click already written must not count twice.
        var spool = app.Services.GetRequiredService<ClickSpool>();
        var spooled = clicks.Skip(801).Append(clicks[0]).ToList();
        await Task.WhenAll(spooled.Select(spool.AppendAsync));
        await WaitForClicksAsync(clicks.Select(c => c.Id));

        await using (var db = app.NewDb())
        {
            (await db.Clicks.CountAsync(c => clicks.Select(k => k.Id).Contains(c.Id))).Should().Be(clicks.Count);
        }
        await RollupsShouldEqualRawAsync();
    }

    [Fact]
    public async Task Rebuilding_the_rollups_from_the_clicks_as_the_migration_backfills_them_gives_what_the_trigger_kept()
    {
        var clicks = await RandomClicksAsync(new Random(7), 120);
        await Task.WhenAll(clicks.Select(app.Services.GetRequiredService<ClickWriter>().WriteAsync));

        await using var db = app.NewDb();
        await db.Database.ExecuteSqlRawAsync("SELECT rebuild_click_rollups()");

        await RollupsShouldEqualRawAsync();
    }

    [Fact]
    public async Task Two_writers_of_the_same_keys_in_open_transactions_do_not_wait_for_each_other_and_both_count()
    {
        var clicks = await RandomClicksAsync(new Random(11), 2);
        var second = Click(clicks[0].OccurredAt, clicks[0].WebmasterId, clicks[0].SiteId, clicks[0].ZoneId, clicks[0].ItemId, clicks[0].ShopId, clicks[0].InvalidReason);
        // Sessions of different shards, as two nodes' click writers (or a writer and a campaign grain) mostly are.
        await using var first = await SessionAsync();
        var other = new List<NpgsqlConnection>();
        NpgsqlConnection? parallel = null;
        while (parallel is null)
        {
            var next = await SessionAsync();
            if (next.ProcessID % RollupShards.Count != first.ProcessID % RollupShards.Count) parallel = next;
            else other.Add(next);
        }
        await using var firstTransaction = await first.BeginTransactionAsync();
        await InsertAsync(first, firstTransaction, clicks[0]);

        // The first transaction holds its rollup rows until it ends; the second must not need them.
        await using (var parallelTransaction = await parallel.BeginTransactionAsync())
        {
            await using (var timeout = new NpgsqlCommand("SET LOCAL lock_timeout = '3s'", parallel, parallelTransaction))
            {
                await timeout.ExecuteNonQueryAsync();
            }
            await InsertAsync(parallel, parallelTransaction, second);
            await parallelTransaction.CommitAsync();
        }
        await firstTransaction.CommitAsync();
        foreach (var connection in other.Append(parallel)) await connection.DisposeAsync();

        await RollupsShouldEqualRawAsync();
    }

    private async Task<NpgsqlConnection> SessionAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(app.Database.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Click click)
    {
        await using var insert = ClickRows.InsertCommand(connection, transaction);
        ClickRows.Bind(insert, [click]);
        await insert.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_click_through_the_redirect_counts_in_every_rollup_of_its_day()
    {
        var link = await app.NewLinkAsync();
        var before = await CountsAsync(link);

        var response = await app.Shopper().GetAsync($"/c/{link.Code}");
        (await app.ClickAsync(response.ClickId())).IsValid.Should().BeTrue();

        (await CountsAsync(link)).Should().Be(before with { Site = before.Site + 1, Item = before.Item + 1, WebmasterItem = before.WebmasterItem + 1, Valid = before.Valid + 1 });
    }

    [Fact]
    public async Task An_invalid_click_inserted_by_EF_counts_under_its_reason()
    {
        var link = await app.NewLinkAsync();
        var before = await CountsAsync(link, "bot_user_agent");

        await using (var db = app.NewDb())
        {
            db.Clicks.Add(await ClickOnAsync(link, "bot_user_agent"));
            await db.SaveChangesAsync();
        }

        (await CountsAsync(link, "bot_user_agent")).Should().Be(before with
        {
            SiteInvalid = before.SiteInvalid + 1, ItemInvalid = before.ItemInvalid + 1, Valid = before.Valid, Reason = before.Reason + 1,
        });
    }

    [Fact]
    public async Task A_spooled_click_counts_once_when_it_is_replayed()
    {
        var link = await app.NewLinkAsync();
        var before = await CountsAsync(link);
        var click = await ClickOnAsync(link, null);

        await app.Services.GetRequiredService<ClickSpool>().AppendAsync(click);
        await WaitForClicksAsync([click.Id]);

        (await CountsAsync(link)).Should().Be(before with { Site = before.Site + 1, Item = before.Item + 1, WebmasterItem = before.WebmasterItem + 1, Valid = before.Valid + 1 });
    }

    [Fact]
    public async Task An_order_paid_through_the_order_events_carries_its_clicks_webmaster_and_its_commission_the_clicks_time_and_item()
    {
        var world = new MoneyWorld(app);
        var webmaster = await world.NewWebmasterAsync();
        var item = (await world.ItemsAsync()).Clicked;
        var visitor = Guid.NewGuid();
        var click = await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddHours(-2));
        await world.ProcessAsync(MoneyWorld.Paid(1, MoneyWorld.NewOrderId(), world.Now.AddHours(-1), visitor, MoneyWorld.Line(item.Id, 1, 50_000)));
        await world.ProcessAsync(MoneyWorld.Paid(1, MoneyWorld.NewOrderId(), world.Now.AddHours(-1), Guid.NewGuid(), MoneyWorld.Line(item.Id, 1, 50_000)));

        await using var db = app.NewDb();
        var ofWebmaster = await db.Database.SqlQuery<Guid?>($"SELECT attributed_click_id AS \"Value\" FROM orders WHERE attributed_webmaster_id = {webmaster.Id}").ToListAsync();
        ofWebmaster.Should().Equal([click], "the webmaster's report finds the order by it");
        (await db.Database.SqlQuery<long>($"""
            SELECT count(*) AS "Value" FROM orders o LEFT JOIN clicks c ON c.id = o.attributed_click_id
            WHERE o.attributed_webmaster_id IS DISTINCT FROM c.webmaster_id
            """).SingleAsync()).Should().Be(0, "every order, attributed or not, carries its click's webmaster or none");
        (await db.Database.SqlQuery<long>($"""
            SELECT count(*) AS "Value" FROM commissions m JOIN orders o ON o.id = m.order_id WHERE o.attributed_click_id = {click}
            """).SingleAsync()).Should().BePositive("the order earned a commission");
        (await db.Database.SqlQuery<long>($"""
            SELECT count(*) AS "Value" FROM commissions m JOIN clicks c ON c.id = m.click_id
            WHERE (m.click_at, m.click_item_id, m.click_valid) IS DISTINCT FROM (c.occurred_at, c.item_id, c.is_valid)
            """).SingleAsync()).Should().Be(0, "every commission carries its click's time, item and validity for the library's EPC");
    }

    /// <summary>A link's counts today in each rollup (valid ones, and invalid ones of a reason when given).</summary>
    private sealed record LinkCounts(long Site, long SiteInvalid, long Item, long ItemInvalid, long WebmasterItem, long Valid, long Reason);

    private async Task<LinkCounts> CountsAsync(TestLink link, string reason = "")
    {
        var day = ChinaTime.DayOf(app.Clock.GetUtcNow());
        await using var db = app.NewDb();
        // A key's count is the sum over its shards (RollupShards).
        var site = await db.ClickDaySites.Where(r => r.Day == day && r.SiteId == link.SiteId && r.ZoneId == link.ZoneId && r.WebmasterId == link.WebmasterId)
            .GroupBy(r => r.SiteId).Select(g => new { Valid = g.Sum(r => r.Valid), Invalid = g.Sum(r => r.Invalid) }).SingleOrDefaultAsync();
        var item = await db.ClickDayItems.Where(r => r.Day == day && r.ItemId == link.ItemId)
            .GroupBy(r => r.ItemId).Select(g => new { Valid = g.Sum(r => r.Valid), Invalid = g.Sum(r => r.Invalid) }).SingleOrDefaultAsync();
        var webmasterItem = await db.ClickDayWebmasterItems.Where(r => r.Day == day && r.ItemId == link.ItemId && r.WebmasterId == link.WebmasterId)
            .SumAsync(r => r.Valid);
        var valid = await db.ClickDayReasons.Where(r => r.Day == day && r.SiteId == link.SiteId && r.Reason == "").SumAsync(r => r.Clicks);
        var ofReason = reason == "" ? 0
            : await db.ClickDayReasons.Where(r => r.Day == day && r.SiteId == link.SiteId && r.Reason == reason).SumAsync(r => r.Clicks);
        return new(site?.Valid ?? 0, site?.Invalid ?? 0, item?.Valid ?? 0, item?.Invalid ?? 0, webmasterItem, valid, ofReason);
    }

    private async Task RollupsShouldEqualRawAsync()
    {
        await using var db = app.NewDb();
        foreach (var (name, raw, rollup) in Tables)
        {
            var expected = await db.Database.SqlQueryRaw<Row>(raw).ToListAsync();
            var actual = await db.Database.SqlQueryRaw<Row>(rollup).ToListAsync();
            expected.Should().NotBeEmpty();
            actual.Should().BeEquivalentTo(expected, $"{name} is the clicks grouped by its key");
        }
    }

    /// <summary>
    /// Clicks on three new sites (two zones each) of two webmasters, over six items of different shops, across 40
    /// days, a quarter invalid; some exactly at and just before a China midnight, where a day's key turns.
    /// </summary>
    private async Task<List<Click>> RandomClicksAsync(Random random, int count)
    {
        await using var db = app.NewDb();
        var webmasters = await db.Webmasters.OrderBy(w => w.Id).Select(w => w.Id).Take(2).ToListAsync();
        var sites = new List<(long WebmasterId, long SiteId, long ZoneId)>();
        for (var s = 0; s < 3; s++)
        {
            var webmasterId = webmasters[s % webmasters.Count];
            var site = await app.AddSiteAsync(new SiteSpec(webmasterId, Zones: ["Top", "Side"]));
            sites.AddRange(site.ZoneIds.Select(zone => (webmasterId, site.Id, zone)));
        }
        var items = await db.Items.OrderBy(i => i.Id).Select(i => new { i.Id, i.ShopId }).Take(6).ToListAsync();
        var now = app.Clock.GetUtcNow();
        var midnight = ChinaTime.StartOf(ChinaTime.DayOf(now));
        return [.. Enumerable.Range(0, count).Select(n =>
        {
            var at = (n % 10) switch
            {
                0 => midnight.AddDays(-random.Next(40)),
                1 => midnight.AddDays(-random.Next(40)).AddTicks(-10),
                _ => now.AddSeconds(-random.Next(40 * 86_400)),
            };
            var (webmasterId, siteId, zoneId) = sites[random.Next(sites.Count)];
            var item = items[random.Next(items.Count)];
            var reason = random.Next(4) == 0 ? Reasons[random.Next(Reasons.Length)] : null;
            return Click(at, webmasterId, siteId, zoneId, item.Id, item.ShopId, reason);
        })];
    }

    private async Task<Click> ClickOnAsync(TestLink link, string? reason)
    {
        await using var db = app.NewDb();
        var shopId = await db.Items.Where(i => i.Id == link.ItemId).Select(i => i.ShopId).SingleAsync();
        return Click(app.Clock.GetUtcNow(), link.WebmasterId, link.SiteId, link.ZoneId, link.ItemId, shopId, reason);
    }

    private static Click Click(DateTimeOffset at, long webmasterId, long siteId, long zoneId, long itemId, long shopId, string? reason) => new()
    {
        Id = Guid.CreateVersion7(at), OccurredAt = at, WebmasterId = webmasterId, SiteId = siteId, ZoneId = zoneId, ItemId = itemId,
        ShopId = shopId, VisitorId = Guid.NewGuid(), IpHash = [1, 2, 3], UserAgent = ClickTesting.Chrome, IsValid = reason is null,
        InvalidReason = reason, ItemRateBp = 500, ShopRateBp = 300,
    };

    private async Task WaitForClicksAsync(IEnumerable<Guid> ids)
    {
        var wanted = ids.ToList();
        for (var i = 0; i < 200; i++)
        {
            await using var db = app.NewDb();
            if (await db.Clicks.CountAsync(c => wanted.Contains(c.Id)) == wanted.Count) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("The spooled clicks were not replayed");
    }
}
