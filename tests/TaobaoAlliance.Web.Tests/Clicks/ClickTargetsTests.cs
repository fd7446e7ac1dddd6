using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Application.Clicks;

namespace TaobaoAlliance.Web.Tests.Clicks;

/// <summary>
/// The click path answers from memory (<see cref="ClickTargets"/>) and a change made anywhere — here plain
/// SQL, as a page or the API would commit it — takes effect on the next clicks, through PostgreSQL's
/// notification, without a restart.
/// </summary>
public sealed class ClickTargetsTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task A_link_paused_after_it_was_clicked_records_its_next_clicks_as_paused()
    {
        var link = await WarmAsync(await app.NewLinkAsync());

        await SqlAsync($"UPDATE links SET is_paused = true WHERE id = {link.LinkId}");

        (await EventuallyAsync(link, c => c.InvalidReason == "link_paused")).Should().BeTrue();
    }

    [Fact]
    public async Task A_site_suspended_after_its_link_was_clicked_earns_nothing_from_its_next_clicks()
    {
        var link = await WarmAsync(await app.NewLinkAsync());

        await SqlAsync($"UPDATE sites SET state = 'Suspended' WHERE id = {link.SiteId}");

        (await EventuallyAsync(link, c => c.InvalidReason == "site_not_approved")).Should().BeTrue();
    }

    [Fact]
    public async Task A_new_item_rate_is_the_rate_of_the_next_clicks()
    {
        var link = await WarmAsync(await app.NewLinkAsync(itemId: 15));

        await SqlAsync("UPDATE items SET commission_rate_bp = 1234 WHERE id = 15");

        (await EventuallyAsync(link, c => c.ItemRateBp == 1234)).Should().BeTrue();
    }

    [Fact]
    public async Task A_warm_click_is_decided_from_memory_until_a_change_is_notified()
    {
        var link = await WarmAsync(await app.NewLinkAsync());

        // Triggers off for this statement (as a replica applies rows): no notification, so memory keeps the old state.
        await SqlAsync($"SET session_replication_role = replica; UPDATE links SET is_paused = true WHERE id = {link.LinkId}; SET session_replication_role = origin;");
        (await ClickAsync(link)).IsValid.Should().BeTrue("the link's state is kept in memory");

        await SqlAsync("NOTIFY click_targets, 'links'");
        (await EventuallyAsync(link, c => c.InvalidReason == "link_paused")).Should().BeTrue();
    }

    /// <summary>Waits until the app listens for changes, then clicks once so the link's facts are in memory.</summary>
    private async Task<TestLink> WarmAsync(TestLink link)
    {
        var targets = app.Services.GetRequiredService<ClickTargets>();
        for (var i = 0; i < 200 && !targets.IsListening; i++) await Task.Delay(25);
        targets.IsListening.Should().BeTrue("the app listens for changes of click targets");
        await app.ClickTargetsCaughtUpAsync(); // no earlier test's notification is still on its way
        (await ClickAsync(link)).IsValid.Should().BeTrue();
        return link;
    }

    /// <summary>Clicks (each from a new address, so the per-IP limit never interferes) until a click satisfies <paramref name="expected"/>, for at most 10 s.</summary>
    private async Task<bool> EventuallyAsync(TestLink link, Func<TaobaoAlliance.Data.Tracking.Click, bool> expected)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (expected(await ClickAsync(link))) return true;
            await Task.Delay(50);
        }
        return false;
    }

    private async Task<TaobaoAlliance.Data.Tracking.Click> ClickAsync(TestLink link)
    {
        using var client = app.Shopper();
        client.DefaultRequestHeaders.Add(TestClientAddress.Header, TestClientAddress.Fresh());
        return await app.ClickAsync((await client.GetAsync($"/c/{link.Code}")).ClickId());
    }

    private async Task SqlAsync(string sql)
    {
        await using var db = app.NewDb();
#pragma warning disable EF1002 // Test-only SQL built from ids the test made.
        await db.Database.ExecuteSqlRawAsync(sql);
#pragma warning restore EF1002
    }
}
