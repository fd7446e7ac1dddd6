using System.Net;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Web.Tests.Areas.Seller.Campaigns;

namespace TaobaoAlliance.Web.Tests.Areas.Webmaster.Sites;

/// <summary>A webmaster turns zones into smart zones on the site page and copies their embed code.</summary>
public sealed class SmartZoneTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private async Task<(long SiteId, long ZoneId)> StandardZoneOfWebmaster1Async()
    {
        await using var db = app.NewDb();
        var zone = await db.AdZones.Where(z => z.Site.Webmaster.User.Email == "webmaster1@taobaoalliance.local" && !z.IsSmart)
            .OrderBy(z => z.Id).Select(z => new { z.SiteId, z.Id }).FirstAsync();
        return (zone.SiteId, zone.Id);
    }

    private async Task<bool> IsSmartAsync(long zoneId)
    {
        await using var db = app.NewDb();
        return await db.AdZones.Where(z => z.Id == zoneId).Select(z => z.IsSmart).SingleAsync();
    }

    private static string Toggle(long siteId, long zoneId) => $"/Webmaster/Sites/{siteId}?zoneId={zoneId}&handler=ToggleSmart";

    [Fact]
    public async Task A_webmaster_makes_a_zone_smart_sees_its_embed_code_and_makes_it_standard_again()
    {
        using var webmaster = new BrowserSession(app);
        await webmaster.SignInAsync("webmaster1@taobaoalliance.local", "Webmaster1!demo");
        var (siteId, zoneId) = await StandardZoneOfWebmaster1Async();
        var page = $"/Webmaster/Sites/{siteId}";
        var iframe = $"<iframe src=\"http://localhost/z/{zoneId}\" width=\"300\" height=\"250\" loading=\"lazy\" title=\"";
        var script = $"<script async src=\"http://localhost/z/{zoneId}/embed.js\"></script>";
        (await webmaster.PageAsync(page)).Should().NotContain(WebUtility.HtmlEncode(script));

        using var made = await webmaster.PostAsync(Toggle(siteId, zoneId), [], tokenPage: page);

        made.StatusCode.Should().Be(HttpStatusCode.Redirect);
        made.Headers.Location!.OriginalString.Should().Be($"{page}#zone-{zoneId}");
        (await IsSmartAsync(zoneId)).Should().BeTrue();
        var html = await webmaster.PageAsync(page);
        var text = WebUtility.HtmlDecode(html);
        text.Should().Contain(iframe).And.Contain(script);
        html.Should().Contain($"data-copy-target=\"embed-iframe-{zoneId}\"").And.Contain($"data-copy-target=\"embed-script-{zoneId}\"")
            .And.Contain($"data-zone-id=\"{zoneId}\" data-smart=\"true\"").And.Contain("Make standard");
        PageText.Text(html).Should().Contain("Only approved sites' smart zones get ads.");
        await using (var db = app.NewDb())
        {
            (await db.AuditLog.CountAsync(a => a.Action == "zone.smart" && a.EntityId == zoneId.ToString())).Should().Be(1);
        }

        using var unmade = await webmaster.PostAsync(Toggle(siteId, zoneId), [], tokenPage: page);

        unmade.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await IsSmartAsync(zoneId)).Should().BeFalse();
        WebUtility.HtmlDecode(await webmaster.PageAsync(page)).Should().NotContain(script);
    }

    [Fact]
    public async Task A_smart_zone_on_a_site_not_yet_approved_says_it_stays_empty()
    {
        using var webmaster = new BrowserSession(app);
        await webmaster.SignInAsync("webmaster1@taobaoalliance.local", "Webmaster1!demo");
        long siteId, zoneId;
        await using (var db = app.NewDb())
        {
            var webmasterId = await db.Webmasters.Where(w => w.User.Email == "webmaster1@taobaoalliance.local").Select(w => w.Id).SingleAsync();
            var site = new Site
            {
                WebmasterId = webmasterId, Name = "Pending site", Url = "https://pending.example.com/", CategoryId = 3, Description = "",
                VerificationToken = "ta-pending", State = SiteState.Pending, CreatedAt = app.Clock.GetUtcNow(),
            };
            site.Zones.Add(new AdZone { Name = "Banner", IsSmart = true, CreatedAt = app.Clock.GetUtcNow() });
            db.Sites.Add(site);
            await db.SaveChangesAsync();
            (siteId, zoneId) = (site.Id, site.Zones[0].Id);
        }

        var html = await webmaster.PageAsync($"/Webmaster/Sites/{siteId}");

        html.Should().Contain($"data-embed-zone-id=\"{zoneId}\"").And.Contain("zone-not-approved");
    }

    [Fact]
    public async Task Another_webmaster_cannot_toggle_the_zone_and_it_stays_as_it_was()
    {
        using var other = new BrowserSession(app);
        await other.SignInAsync("webmaster2@taobaoalliance.local", "Webmaster2!demo");
        var (siteId, zoneId) = await StandardZoneOfWebmaster1Async();
        long ownSiteId;
        await using (var db = app.NewDb())
        {
            ownSiteId = await db.Sites.Where(s => s.Webmaster.User.Email == "webmaster2@taobaoalliance.local").Select(s => s.Id).FirstAsync();
        }

        using var direct = await other.PostAsync(Toggle(siteId, zoneId), [], tokenPage: "/Webmaster/Sites");
        using var throughOwnSite = await other.PostAsync(Toggle(ownSiteId, zoneId), [], tokenPage: "/Webmaster/Sites");

        direct.StatusCode.Should().Be(HttpStatusCode.NotFound);
        throughOwnSite.StatusCode.Should().Be(HttpStatusCode.NotFound, "the zone must belong to the site named in the address too");
        (await IsSmartAsync(zoneId)).Should().BeFalse();
    }
}
