using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Application.Sites;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Web.Tests.Data;

/// <summary>
/// A window of the last N days starts mid-way through a China day: the pages that count clicks over it read the
/// whole days from the rollups and the part-day before them from the clicks, and together count exactly the
/// clicks from the window's first instant on (the site review's measured traffic, which uses <see cref="RollupWindow"/>
/// as the library's EPC and a shop's conversion rate do).
/// </summary>
public sealed class RollupWindowTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task Measured_traffic_counts_every_valid_click_from_the_windows_first_instant_across_the_part_day_and_the_whole_days()
    {
        var now = app.Clock.GetUtcNow();
        var since = now.AddDays(-SitesForReview.MeasuredDays);
        var window = new RollupWindow(since);
        window.FirstWholeDayStart.Should().BeAfter(since, "the test clock is mid-afternoon in China, so the window starts with a part-day");
        await using var db = app.NewDb();
        var webmasterId = db.Webmasters.OrderBy(w => w.Id).Select(w => w.Id).First();
        var name = "Window " + Guid.NewGuid().ToString("N")[..8];
        var site = await app.AddSiteAsync(new SiteSpec(webmasterId, SiteState.Pending, name, ["Top"], Age: TimeSpan.FromDays(40)));
        var item = db.Items.OrderBy(i => i.Id).Select(i => new { i.Id, i.ShopId }).First();
        Click At(DateTimeOffset at, bool valid = true) => new()
        {
            Id = Guid.CreateVersion7(at), OccurredAt = at, WebmasterId = webmasterId, SiteId = site.Id, ZoneId = site.ZoneIds[0], ItemId = item.Id,
            ShopId = item.ShopId, VisitorId = Guid.NewGuid(), IpHash = [1], IsValid = valid, InvalidReason = valid ? null : "bot_user_agent",
            ItemRateBp = 500, ShopRateBp = 300,
        };
        db.Clicks.AddRange(
            At(since.AddMinutes(-1)),                  // before the window
            At(since),                                 // its first instant: the part-day, read raw
            At(window.FirstWholeDayStart.AddTicks(-10)), // the part-day's last moment
            At(window.FirstWholeDayStart),             // the first whole day, from the rollup
            At(now),                                   // today, from the rollup
            At(since.AddHours(1), valid: false));      // invalid clicks are not traffic
        await db.SaveChangesAsync();

        using var scope = app.Services.CreateScope();
        var page = await scope.ServiceProvider.GetRequiredService<SitesForReview>().ReadAsync(new SiteQueueRequest(null, name, 1), CancellationToken.None);

        page.Sites.Should().ContainSingle().Which.MeasuredClicks.Should().Be(4);
    }
}
