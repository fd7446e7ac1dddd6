using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Data.Tracking;
using TaobaoAlliance.Web.Tests.Cpc;

namespace TaobaoAlliance.Web.Tests.Clicks;

/// <summary>The app reaches its database through a <see cref="TcpRelay"/> the test can cut, as a restart of PostgreSQL would.</summary>
public sealed class OutageApp : AllianceApp
{
    public TcpRelay? Relay { get; private set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var direct = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
        Relay = new TcpRelay(direct.Host!, direct.Port);
        // Short timeouts: while the database is away, a connection attempt fails at once rather than after 15 s.
        var relayed = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Host = "127.0.0.1", Port = Relay.Port, Timeout = 3 };
        builder.UseSetting("ConnectionStrings:Alliance", relayed.ConnectionString);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Relay?.Dispose();
    }
}

/// <summary>
/// The click never strands a shopper: while PostgreSQL is unreachable the redirect still happens and the click
/// is kept in the local spool, then written exactly once when PostgreSQL is back (product.md, wave 2).
/// </summary>
public sealed class ClickSpoolTests(OutageApp app) : IClassFixture<OutageApp>
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    [Fact]
    public async Task Clicks_while_the_database_is_away_are_redirected_spooled_and_written_once_when_it_is_back()
    {
        var link = await app.NewLinkAsync();
        var targets = app.Services.GetRequiredService<ClickTargets>();
        for (var i = 0; i < 200 && !targets.IsListening; i++) await Task.Delay(25);
        await app.ClickTargetsCaughtUpAsync(); // the new link's own notification must not drop what the first click keeps
        using var shopper = app.Shopper();
        (await shopper.GetAsync($"/c/{link.Code}")).StatusCode.Should().Be(HttpStatusCode.Redirect, "a first click puts the link in memory");

        app.Relay!.Cut();
        var spooled = new List<Guid>();
        for (var i = 0; i < 5; i++) spooled.Add((await shopper.GetAsync($"/c/{link.Code}")).ClickId());
        var health = await (await shopper.GetAsync("/health")).Content.ReadAsStringAsync();
        var spoolFiles = Directory.GetFiles(app.Services.GetRequiredService<ClickSpool>().Directory);

        await using (var direct = app.NewDb())
        {
            (await direct.Clicks.CountAsync(c => spooled.Contains(c.Id))).Should().Be(0, "the database was out of reach");
        }
        health.Should().Be("Degraded");
        spoolFiles.Should().NotBeEmpty("each redirected click is on local disk before the answer");

        app.Relay.Open();
        var written = 0;
        for (var i = 0; i < 200 && written < spooled.Count; i++)
        {
            await Task.Delay(50);
            await using var direct = app.NewDb();
            written = await direct.Clicks.CountAsync(c => spooled.Contains(c.Id));
        }

        written.Should().Be(spooled.Count, "every spooled click is written, once (the id is the primary key)");
        (await app.ClicksOnSiteAsync(link.SiteId)).Should().HaveCount(6).And.OnlyHaveUniqueItems(c => c.Id);
        Directory.GetFiles(app.Services.GetRequiredService<ClickSpool>().Directory).Should().BeEmpty("a replayed file is deleted");
    }

    [Fact]
    public async Task A_paid_click_while_the_database_is_away_is_redirected_and_kept_without_a_charge()
    {
        var world = await CpcWorld.CreateAsync(app);
        var seller = await world.NewSellerAsync(Money.FromYuan(10));
        var campaign = await world.NewCampaignAsync(seller, bidFen: 20, dailyBudgetFen: 1_000);
        var zone = await world.NewSmartZoneAsync();
        var targets = app.Services.GetRequiredService<ClickTargets>();
        for (var i = 0; i < 200 && !targets.IsListening; i++) await Task.Delay(25);
        await app.ClickTargetsCaughtUpAsync();
        var first = await world.ClickAsync((await world.ServeAsync(zone.ZoneId))!); // charged; the zone's facts are now in memory
        var token = (await world.ServeAsync(zone.ZoneId))!;

        app.Relay!.Cut();
        var response = await world.ClickAsync(token);
        app.Relay.Open();

        response.Headers.Location!.OriginalString.Should().MatchRegex($@"^/item/({seller.ItemIds[0]}|{seller.ItemIds[1]})\?alliance_click=");
        var clickId = response.ClickId();
        Click? kept = null;
        for (var i = 0; i < 200 && kept is null; i++)
        {
            await Task.Delay(50);
            await using var db = app.NewDb();
            kept = await db.Clicks.AsNoTracking().WithId(clickId).SingleOrDefaultAsync();
        }
        kept.Should().NotBeNull("the click was spooled and replayed");
        kept!.Should().BeEquivalentTo(new { IsValid = false, InvalidReason = InvalidClickReasons.CpcChargeUnavailable, CampaignId = (long?)campaign });
        var charge = (await world.ChargesAsync(campaign)).Should().ContainSingle().Subject;
        charge.ClickId.Should().Be(first.ClickId(), "only the click made while the database was there is charged");
        (await world.WalletAsync(seller.SellerId)).Should().Be(Money.FromYuan(10) - new Money(charge.PriceFen));
    }

    [Fact]
    public async Task A_spool_file_replayed_after_its_clicks_were_written_adds_nothing_skips_a_torn_line_and_is_deleted()
    {
        var link = await app.NewLinkAsync();
        using var shopper = app.Shopper();
        var clickId = (await shopper.GetAsync($"/c/{link.Code}")).ClickId();
        var click = await app.ClickAsync(clickId);
        var spool = app.Services.GetRequiredService<ClickSpool>();
        Directory.CreateDirectory(spool.Directory);
        var file = Path.Combine(spool.Directory, "00000000000000000-test.jsonl");
        await File.WriteAllTextAsync(file, System.Text.Json.JsonSerializer.Serialize(click, Json) + "\n{\"torn\":");

        await ActivatorUtilities.CreateInstance<ClickSpoolReplayer>(app.Services).ReplayAsync(file, CancellationToken.None);

        (await app.ClicksOnSiteAsync(link.SiteId)).Should().ContainSingle().Which.Id.Should().Be(clickId);
        File.Exists(file).Should().BeFalse();
    }
}
