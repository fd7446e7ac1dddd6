using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data.Sites;

namespace TaobaoAlliance.Testing;

/// <summary>More sites and zones for a test's webmaster, arranged straight in the database.</summary>
public static class WorldSites
{
    /// <summary>A new approved site of the webmaster with one zone; the result clicks on that zone.</summary>
    public static async Task<TestWebmaster> NewSiteAsync(this AllianceApp app, TestWebmaster webmaster, string siteName, string zoneName)
    {
        await using var db = app.NewDb();
        var now = app.Clock.GetUtcNow();
        var site = new Site
        {
            WebmasterId = webmaster.Id, Name = siteName, Url = $"https://{Guid.NewGuid():N}.example.com", CategoryId = 3,
            Description = "", VerificationToken = "ta-verify-" + Guid.NewGuid().ToString("N")[..8], State = SiteState.Approved, CreatedAt = now,
        };
        site.Zones.Add(new AdZone { Name = zoneName, CreatedAt = now });
        db.Sites.Add(site);
        await db.SaveChangesAsync();
        return webmaster with { SiteId = site.Id, ZoneId = site.Zones[0].Id };
    }

    /// <summary>Another zone on the same site; the result clicks on it.</summary>
    public static async Task<TestWebmaster> NewZoneAsync(this AllianceApp app, TestWebmaster webmaster, string zoneName)
    {
        await using var db = app.NewDb();
        var zone = new AdZone { SiteId = webmaster.SiteId, Name = zoneName, CreatedAt = app.Clock.GetUtcNow() };
        db.AdZones.Add(zone);
        await db.SaveChangesAsync();
        return webmaster with { ZoneId = zone.Id };
    }
}
