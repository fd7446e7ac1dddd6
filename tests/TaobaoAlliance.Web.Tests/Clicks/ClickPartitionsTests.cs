using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data.Tracking;

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
    public async Task A_click_in_the_default_partition_moves_into_its_day_when_the_partition_is_made()
    {
        await PartitionsOfTodayAsync();
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

    /// <summary>The start-up run is in the background: wait for it to have made today's partition.</summary>
    private async Task PartitionsOfTodayAsync()
    {
        var today = ClickPartitioning.NameOf(Today);
        for (var i = 0; i < 400 && !(await PartitionsAsync()).Contains(today); i++) await Task.Delay(25);
        (await PartitionsAsync()).Should().Contain(today, "the app makes today's partition at start-up");
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

    /// <summary>A click on the demo link at the given time, with an id made from that time as the app makes it.</summary>
    private async Task<Guid> AddClickAsync(DateTimeOffset at)
    {
        await using var db = app.NewDb();
        var link = await db.Links.AsNoTracking().Include(l => l.Item).SingleAsync(l => l.Code == "gF7kQ2xA");
        var click = new Click
        {
            Id = Guid.CreateVersion7(at), OccurredAt = at, LinkId = link.Id, WebmasterId = link.WebmasterId, SiteId = link.SiteId,
            ZoneId = link.ZoneId, ItemId = link.ItemId, ShopId = link.Item.ShopId, VisitorId = Guid.NewGuid(), IpHash = [1, 2, 3],
            UserAgent = ClickTesting.Chrome, IsValid = true, ItemRateBp = 500, ShopRateBp = 300,
        };
        db.Clicks.Add(click);
        await db.SaveChangesAsync();
        return click.Id;
    }
}
