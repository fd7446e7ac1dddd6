using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data.Tracking;
using TaobaoAlliance.Web.Tests.Areas.Admin;

namespace TaobaoAlliance.Web.Tests.Clicks;

/// <summary>
/// The clicks table is partitioned by China day (migration PartitionedClicks): ClickPartitions keeps today's and
/// the days ahead created, drops the days past Clicks:RetentionDays (400 here, the default), and moves clicks that
/// waited in the default partition into their day once it exists. The app's clock starts on 2026-11-01 (China).
/// </summary>
public sealed class ClickPartitionsTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private static readonly DateOnly Today = new(2026, 11, 1);

    [Fact]
    public async Task Today_and_the_seven_days_ahead_have_their_partitions_after_start()
    {
        await PartitionsOfTodayAsync();

        var partitions = await PartitionsAsync();
        for (var day = Today; day <= Today.AddDays(7); day = day.AddDays(1)) partitions.Should().Contain(ClickPartitioning.NameOf(day));
        partitions.Should().Contain(ClickPartitioning.DefaultPartition);
    }

    [Fact]
    public async Task A_click_is_written_to_the_partition_of_its_china_day()
    {
        await PartitionsOfTodayAsync();
        var link = await app.NewLinkAsync();
        using var shopper = app.Shopper();

        var clickId = (await shopper.GetAsync($"/c/{link.Code}")).ClickId();
        // 23:30 UTC on the 1st is 07:30 on the 2nd in China: the 2nd's partition.
        var lateClick = await AddClickAsync(new DateTimeOffset(2026, 11, 1, 23, 30, 0, TimeSpan.Zero));

        (await PartitionOfAsync(clickId)).Should().Be("clicks_p20261101");
        (await PartitionOfAsync(lateClick)).Should().Be("clicks_p20261102");
        (await app.ClickAsync(clickId)).SiteId.Should().Be(link.SiteId, "a click is found by its id");
    }

    [Fact]
    public async Task Retention_drops_the_partitions_entirely_older_than_the_setting_and_keeps_the_newer_ones()
    {
        await PartitionsOfTodayAsync();
        // 400 days before 2026-11-01 is 2025-09-27: that day still holds clicks younger than 400 days.
        await using (var db = app.NewDb()) await db.Database.ExecuteSqlAsync($"SELECT ensure_click_partitions('2025-09-25', '2025-09-28')");
        var tooOld = await AddClickAsync(ChinaTime.StartOf(new DateOnly(2025, 9, 26)).AddHours(12));
        var kept = await AddClickAsync(ChinaTime.StartOf(new DateOnly(2025, 9, 27)).AddHours(1));

        await app.Services.GetRequiredService<ClickPartitions>().MaintainAsync(CancellationToken.None);

        var partitions = await PartitionsAsync();
        partitions.Should().NotContain(["clicks_p20250925", "clicks_p20250926"]);
        partitions.Should().Contain(["clicks_p20250927", "clicks_p20250928", ClickPartitioning.NameOf(Today)]);
        await using var check = app.NewDb();
        (await check.Clicks.AnyAsync(c => c.Id == tooOld)).Should().BeFalse();
        (await check.Clicks.WithId(kept).CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task A_retention_of_zero_keeps_every_day()
    {
        await PartitionsOfTodayAsync();
        await using (var db = app.NewDb()) await db.Database.ExecuteSqlAsync($"SELECT ensure_click_partitions('2020-01-01', '2020-01-01')");
        var keepForever = new ClickPartitions(
            app.Services.GetRequiredKeyedService<NpgsqlDataSource>(ClickWriter.DataSourceKey),
            Options.Create(new ClickOptions { IpHashSalt = "test-click-ip-hash-salt-0123456789", RetentionDays = 0 }),
            app.Clock, NullLogger<ClickPartitions>.Instance);

        var changes = await keepForever.MaintainAsync(CancellationToken.None);

        changes.Dropped.Should().BeEmpty();
        (await PartitionsAsync()).Should().Contain("clicks_p20200101");
    }

    [Theory]
    [InlineData(-1, 7, false)]
    [InlineData(0, 7, true)]
    [InlineData(400, 0, false)]
    [InlineData(400, 7, true)]
    public void Retention_and_days_ahead_are_validated(int retentionDays, int daysAhead, bool valid)
    {
        var options = new ClickOptions { IpHashSalt = "test-click-ip-hash-salt-0123456789", RetentionDays = retentionDays, PartitionDaysAhead = daysAhead };

        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), [], validateAllProperties: true).Should().Be(valid);
    }

    [Fact]
    public async Task A_click_in_the_default_partition_moves_into_its_day_when_the_partition_is_made()
    {
        await PartitionsOfTodayAsync();
        await WithoutPartitionAsync(new DateOnly(2026, 10, 15));
        var waiting = await AddClickAsync(ChinaTime.StartOf(new DateOnly(2026, 10, 15)).AddHours(9));
        (await PartitionOfAsync(waiting)).Should().Be(ClickPartitioning.DefaultPartition, "no partition holds 2026-10-15 yet");

        var changes = await app.Services.GetRequiredService<ClickPartitions>().MaintainAsync(CancellationToken.None);

        changes.Created.Should().Contain("clicks_p20261015");
        (await PartitionOfAsync(waiting)).Should().Be("clicks_p20261015");
        await using var db = app.NewDb();
        (await db.Database.SqlQuery<long>($"SELECT count(*) AS \"Value\" FROM clicks_default WHERE id = {waiting}").SingleAsync()).Should().Be(0);
        (await db.Clicks.WithId(waiting).Select(c => c.ItemId).SingleAsync()).Should().Be(14);
    }

    [Fact]
    public async Task Clicks_written_while_their_day_is_being_made_all_end_up_in_that_day()
    {
        await PartitionsOfTodayAsync();
        var writer = app.Services.GetRequiredService<ClickWriter>();
        var partitions = app.Services.GetRequiredService<ClickPartitions>();
        // Each round a day without a partition: the run makes it while the writer's batches keep sending it clicks
        // (first into the default partition, then into the new one). None is refused.
        for (var round = 0; round < 5; round++)
        {
            var day = new DateOnly(2026, 8, 31).AddDays(-round);
            await WithoutPartitionAsync(day);
            var at = ChinaTime.StartOf(day).AddHours(10);
            var written = new List<Guid>();
            var first = await NewClickAsync(at);
            await writer.WriteAsync(first);
            written.Add(first.Id);
            using var stop = new CancellationTokenSource();
            var writing = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var click = await NewClickAsync(at.AddMilliseconds(written.Count));
                    await writer.WriteAsync(click);
                    written.Add(click.Id);
                }
            });

            var changes = await partitions.MaintainAsync(CancellationToken.None);
            await stop.CancelAsync();
            await writing;

            changes.Created.Should().Contain(ClickPartitioning.NameOf(day));
            await using var db = app.NewDb();
            var inDay = await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM clicks WHERE tableoid = {ClickPartitioning.NameOf(day)}::regclass").ToListAsync();
            inDay.Should().BeEquivalentTo(written, "every click of the day is committed in the day's partition");
        }
    }

    [Fact]
    public async Task The_admin_sees_the_click_of_an_order_found_by_its_id()
    {
        await PartitionsOfTodayAsync();
        var world = new MoneyWorld(app);
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        var clickId = await world.ClickAsync(webmaster, visitor, item.Id, world.Now.AddDays(-3), itemRateBp: 1_000);
        var orderId = MoneyWorld.NewOrderId();

        var result = await world.ProcessAsync(MoneyWorld.Paid(item.ShopId, orderId, world.Now, visitor, MoneyWorld.Line(item.Id, 1, 10_000)));

        result.AttributedClickId.Should().Be(clickId);
        await using var db = app.NewDb();
        var name = await db.Users.Where(u => u.Id == webmaster.UserId).Select(u => u.DisplayName).SingleAsync();
        using var admin = await AdminTesting.AdminAsync(app);
        (await admin.PageAsync($"/Admin/Orders?q={orderId}")).Should().Contain(name, "the list names the webmaster of each order's click");
        (await admin.PageAsync($"/Admin/Orders/{result.OrderId}")).Should().Contain($"data-click=\"{clickId}\"");
    }

    [Fact]
    public void A_partition_name_says_its_day_and_its_key_violations_are_recognised()
    {
        ClickPartitioning.NameOf(new DateOnly(2026, 1, 9)).Should().Be("clicks_p20260109");
        ClickPartitioning.DayOf("clicks_p20260109").Should().Be(new DateOnly(2026, 1, 9));
        ClickPartitioning.DayOf(ClickPartitioning.DefaultPartition).Should().BeNull();
        ClickPartitioning.DayOf("clicks_p2026010x").Should().BeNull();
        ClickPartitioning.IsPrimaryKey("clicks_p20260109_pkey").Should().BeTrue();
        ClickPartitioning.IsPrimaryKey("clicks_default_pkey").Should().BeTrue();
        ClickPartitioning.IsPrimaryKey("ix_links_code").Should().BeFalse();
    }

    /// <summary>
    /// The start-up run is in the background: wait for it to have finished (so it neither makes nor drops anything
    /// under a test), and for today's partition.
    /// </summary>
    private async Task PartitionsOfTodayAsync()
    {
        var service = app.Services.GetRequiredService<ClickPartitions>();
        for (var i = 0; i < 400 && service.LastRun is null; i++) await Task.Delay(25);
        service.LastRun.Should().NotBeNull("the app maintains the partitions at start-up");
        (await PartitionsAsync()).Should().Contain(ClickPartitioning.NameOf(Today), "the app makes today's partition at start-up");
    }

    /// <summary>
    /// Drops the day's partition if a run made it already (runs make every day from the oldest click waiting in the
    /// default partition to today, so the tests' days depend on their order). No other test writes to that day.
    /// </summary>
    private async Task WithoutPartitionAsync(DateOnly day)
    {
        await using var db = app.NewDb();
#pragma warning disable EF1003 // A table name cannot be a parameter; this one is made from a date.
        await db.Database.ExecuteSqlRawAsync("DROP TABLE IF EXISTS " + ClickPartitioning.NameOf(day));
#pragma warning restore EF1003
    }

    private async Task<List<string>> PartitionsAsync()
    {
        await using var db = app.NewDb();
        return await db.Database.SqlQuery<string>(
            $"SELECT c.relname::text AS \"Value\" FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'clicks'::regclass").ToListAsync();
    }

    private async Task<string> PartitionOfAsync(Guid clickId)
    {
        await using var db = app.NewDb();
        return await db.Database.SqlQuery<string>($"SELECT tableoid::regclass::text AS \"Value\" FROM clicks WHERE id = {clickId}").SingleAsync();
    }

    /// <summary>Saves a click on the demo link at the given time.</summary>
    private async Task<Guid> AddClickAsync(DateTimeOffset at)
    {
        var click = await NewClickAsync(at);
        await using var db = app.NewDb();
        db.Clicks.Add(click);
        await db.SaveChangesAsync();
        return click.Id;
    }

    private Link? demoLink;

    /// <summary>A click on the demo link at the given time, with an id made from that time as the app makes it.</summary>
    private async Task<Click> NewClickAsync(DateTimeOffset at)
    {
        if (demoLink is null)
        {
            await using var db = app.NewDb();
            demoLink = await db.Links.AsNoTracking().Include(l => l.Item).SingleAsync(l => l.Code == "gF7kQ2xA");
        }
        return new Click
        {
            Id = Guid.CreateVersion7(at), OccurredAt = at, LinkId = demoLink.Id, WebmasterId = demoLink.WebmasterId, SiteId = demoLink.SiteId,
            ZoneId = demoLink.ZoneId, ItemId = demoLink.ItemId, ShopId = demoLink.Item.ShopId, VisitorId = Guid.NewGuid(), IpHash = [1, 2, 3],
            UserAgent = ClickTesting.Chrome, IsValid = true, ItemRateBp = 500, ShopRateBp = 300,
        };
    }
}
