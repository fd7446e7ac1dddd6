using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data.Sites;

namespace TaobaoAlliance.Testing;

/// <summary>A site arranged straight in the database, with its zones in the order given.</summary>
public sealed record TestSite(long Id, IReadOnlyList<long> ZoneIds);

/// <summary>
/// What a test's site should be like: its owner, where an admin's decision left it, its zones, and for the
/// review queue its age, verification, claimed traffic and the "Registered" note of its history.
/// </summary>
public sealed record SiteSpec(
    long WebmasterId,
    SiteState State = SiteState.Approved,
    string? Name = null,
    IReadOnlyList<string>? Zones = null,
    TimeSpan Age = default,
    bool Verified = true,
    int ClaimedDailyVisitors = 1200,
    bool Registered = false);

/// <summary>The world builder's sites and zones: every test that needs a site of its own makes it here.</summary>
public static class WorldSites
{
    public static async Task<TestSite> AddSiteAsync(this AllianceApp app, SiteSpec spec)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(spec);
        await using var db = app.NewDb();
        var createdAt = app.Clock.GetUtcNow() - spec.Age;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var site = new Site
        {
            WebmasterId = spec.WebmasterId, Name = spec.Name ?? "Site " + tag, Url = $"https://{tag}.example.com/", CategoryId = 3,
            ClaimedDailyVisitors = spec.ClaimedDailyVisitors, Description = "A test's site", VerificationToken = "ta-verify-" + tag,
            VerifiedAt = spec.Verified ? createdAt : null, State = spec.State, CreatedAt = createdAt,
        };
        foreach (var zone in spec.Zones ?? []) site.Zones.Add(new AdZone { Name = zone, CreatedAt = createdAt });
        if (spec.Registered) site.Reviews.Add(new SiteReview { ToState = SiteState.Pending, At = createdAt, Reason = "Registered" });
        db.Sites.Add(site);
        await db.SaveChangesAsync();
        return new TestSite(site.Id, [.. site.Zones.Select(z => z.Id)]);
    }

    /// <summary>A site of the webmaster in the given state (as if an admin had decided), with named zones.</summary>
    public static Task<TestSite> AddSiteAsync(this AllianceApp app, long webmasterId, SiteState state, params string[] zones) =>
        app.AddSiteAsync(new SiteSpec(webmasterId, state, Zones: zones));

    /// <summary>A new approved site of the webmaster with one zone; the result clicks on that zone.</summary>
    public static async Task<TestWebmaster> NewSiteAsync(this AllianceApp app, TestWebmaster webmaster, string siteName, string zoneName)
    {
        ArgumentNullException.ThrowIfNull(webmaster);
        var site = await app.AddSiteAsync(new SiteSpec(webmaster.Id, Name: siteName, Zones: [zoneName]));
        return webmaster with { SiteId = site.Id, ZoneId = site.ZoneIds[0] };
    }

    /// <summary>Another zone on the same site; the result clicks on it.</summary>
    public static async Task<TestWebmaster> NewZoneAsync(this AllianceApp app, TestWebmaster webmaster, string zoneName)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(webmaster);
        await using var db = app.NewDb();
        var zone = new AdZone { SiteId = webmaster.SiteId, Name = zoneName, CreatedAt = app.Clock.GetUtcNow() };
        db.AdZones.Add(zone);
        await db.SaveChangesAsync();
        return webmaster with { ZoneId = zone.Id };
    }
}
