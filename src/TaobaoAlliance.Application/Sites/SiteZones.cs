using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Sites;

namespace TaobaoAlliance.Application.Sites;

/// <summary>Why a zone was not added or changed; nothing was written.</summary>
public enum ZoneRefusal { NoSuchSite, NoSuchZone, TooManyZones, NameTaken }

/// <summary>The zone added or changed with its PID, or why not.</summary>
public sealed record ZoneOutcome(AdZone? Zone, Pid? Pid, ZoneRefusal? Refusal)
{
    public bool Succeeded => Refusal is null;

    public static ZoneOutcome Refused(ZoneRefusal refusal) => new(null, null, refusal);
}

/// <summary>
/// The ad zones of a webmaster's own site: adding one (a unique name, at most <see cref="MaxZonesPerSite"/>)
/// and turning one into a smart zone (filled by the CPC auction) or back. Another webmaster's site or
/// zone is not found.
/// </summary>
public sealed class SiteZones(AllianceDbContext db, AuditTrail audit, TimeProvider clock, ILogger<SiteZones> logger)
{
    /// <summary>Plenty for any real layout; keeps a runaway script from filling the table.</summary>
    public const int MaxZonesPerSite = 50;

    public async Task<ZoneOutcome> AddAsync(long siteId, long webmasterId, string name, bool isSmart, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(name);
        var site = await db.Sites.AsNoTracking().Where(s => s.Id == siteId && s.WebmasterId == webmasterId)
            .Select(s => new { s.Id, Names = s.Zones.Select(z => z.Name).ToList() }).SingleOrDefaultAsync(ct);
        if (site is null) return ZoneOutcome.Refused(ZoneRefusal.NoSuchSite);
        name = name.Trim();
        if (site.Names.Count >= MaxZonesPerSite) return ZoneOutcome.Refused(ZoneRefusal.TooManyZones);
        if (site.Names.Contains(name, StringComparer.OrdinalIgnoreCase)) return ZoneOutcome.Refused(ZoneRefusal.NameTaken);

        var zone = new AdZone { SiteId = site.Id, Name = name, IsSmart = isSmart, CreatedAt = clock.GetUtcNow() };
        db.AdZones.Add(zone);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Zone {ZoneId} added to site {SiteId}", zone.Id, site.Id);
        return new(zone, new Pid(webmasterId, site.Id, zone.Id), null);
    }

    /// <summary>Turns a smart zone into a standard one or back, with an audit row.</summary>
    public async Task<ZoneOutcome> ToggleSmartAsync(long siteId, long zoneId, long webmasterId, long actorUserId, CancellationToken ct)
    {
        var zone = await db.AdZones.SingleOrDefaultAsync(z => z.Id == zoneId && z.SiteId == siteId && z.Site.WebmasterId == webmasterId, ct);
        if (zone is null) return ZoneOutcome.Refused(ZoneRefusal.NoSuchZone);

        zone.IsSmart = !zone.IsSmart;
        audit.Record(actorUserId, zone.IsSmart ? "zone.smart" : "zone.standard", "ad_zone", zone.Id, new { zone.SiteId, zone.IsSmart });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Zone {ZoneId} of site {SiteId} is now {ZoneKind}", zone.Id, siteId, zone.IsSmart ? "smart" : "standard");
        return new(zone, new Pid(webmasterId, siteId, zone.Id), null);
    }
}
