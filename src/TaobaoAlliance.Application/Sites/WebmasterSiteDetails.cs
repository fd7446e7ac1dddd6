using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Application.Sites;

/// <summary>One of a webmaster's sites with its zones (oldest first) and its history (oldest first).</summary>
public sealed record SiteDetails(SiteDetails.SiteView Site, IReadOnlyList<SiteDetails.ZoneView> Zones, IReadOnlyList<SiteDetails.ReviewView> Reviews)
{
    /// <summary>The site as its details page shows it (the category in the reader's language).</summary>
    public sealed record SiteView(long Id, long WebmasterId, string Name, string Url, string CategoryName, int ClaimedDailyVisitors,
        string Description, SiteState State, string? StateReason, string VerificationToken, DateTimeOffset? VerifiedAt);

    /// <summary>One zone of the site with its PID and how many links it has.</summary>
    public sealed record ZoneView(long Id, string Name, bool IsSmart, Pid Pid, DateTimeOffset CreatedAt, int LinkCount);

    /// <summary>One step of the site's history.</summary>
    public sealed record ReviewView(SiteState ToState, string? Reason, DateTimeOffset At);
}

/// <summary>Reads one of the webmaster's sites with its zones and history; another webmaster's site is not found (null).</summary>
public sealed class WebmasterSiteDetails(AllianceDbContext db)
{
    public async Task<SiteDetails?> ReadAsync(long id, long webmasterId, bool chinese, CancellationToken ct)
    {
        var site = await db.Sites.AsNoTracking()
            .Where(s => s.Id == id && s.WebmasterId == webmasterId)
            .Select(s => new SiteDetails.SiteView(s.Id, s.WebmasterId, s.Name, s.Url, chinese ? s.Category.NameZh : s.Category.NameEn, s.ClaimedDailyVisitors,
                s.Description, s.State, s.StateReason, s.VerificationToken, s.VerifiedAt))
            .SingleOrDefaultAsync(ct);
        if (site is null) return null;
        var zones = await db.AdZones.AsNoTracking().Where(z => z.SiteId == id).OrderBy(z => z.Id)
            .Select(z => new { z.Id, z.Name, z.IsSmart, z.CreatedAt, LinkCount = db.Links.Count(l => l.ZoneId == z.Id) })
            .ToListAsync(ct);
        var reviews = await db.SiteReviews.AsNoTracking().Where(r => r.SiteId == id).OrderBy(r => r.At).ThenBy(r => r.Id)
            .Select(r => new SiteDetails.ReviewView(r.ToState, r.Reason, r.At)).ToListAsync(ct);
        return new(site, [.. zones.Select(z => new SiteDetails.ZoneView(z.Id, z.Name, z.IsSmart, new Pid(webmasterId, id, z.Id), z.CreatedAt, z.LinkCount))], reviews);
    }
}
