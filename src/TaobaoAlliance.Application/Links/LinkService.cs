using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Catalog;
using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Attribution.Links;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Application.Links;

/// <summary>Why a link could not be made for a zone and an item.</summary>
public enum LinkRefusal
{
    None,

    /// <summary>No such zone, or it is another webmaster's: answered as not found.</summary>
    ZoneNotFound,

    /// <summary>The zone's site is pending, rejected or suspended: its clicks could not earn.</summary>
    SiteNotApproved,

    /// <summary>No such item, or it is no longer listed.</summary>
    ItemNotFound,
}

/// <summary>What a pasted product URL is (a deep link): a listed item with that external URL, or only a registered store's shop.</summary>
public sealed record ProductUrlMatch(long? ItemId, long? ShopId);

/// <summary>A webmaster's link with what the snippets need of its item, zone and site.</summary>
public sealed record LinkDetails(
    long Id, string Code, Pid Pid, long ItemId, bool IsPaused, string TitleZh, string TitleEn, Money Price, string ImageUrl,
    string SiteName, string ZoneName)
{
    /// <summary>The snippets of this link on <paramref name="origin"/>, with the title in the reader's language and the sub-ids, if any.</summary>
    public LinkSnippets Snippets(Uri origin, string title, SubIds? subIds = null) => LinkSnippets.Build(Code, Pid, ItemId, Price, ImageUrl, origin, title, subIds);
}

/// <summary>A zone of the webmaster's, as the API names it: its PID, and whether its site is approved (links of any other site could not earn).</summary>
public sealed record LinkZone(Pid Pid, string SiteName, string ZoneName, bool SiteApproved);

/// <summary>One of a zone's links with its item's rate now (item rate, else the shop's), for a product feed.</summary>
public sealed record ZoneLink(LinkDetails Link, Rate Rate);

/// <summary>The link that was found or made (<see cref="Created"/> says which), or why there is none.</summary>
public sealed record LinkOutcome(LinkDetails? Link, bool Created, LinkRefusal Refusal)
{
    public static LinkOutcome Refused(LinkRefusal refusal) => new(null, false, refusal);
}

/// <summary>
/// Ad links: unguessable short codes (<see cref="LinkCodes"/>), one link per zone and item (asking again
/// gives the same link); the snippets are built by <see cref="LinkSnippets"/>.
/// </summary>
public sealed class LinkService(AllianceDbContext db, TimeProvider clock, ILogger<LinkService> logger)
{
    private const int MaxCodeAttempts = 5;

    /// <summary>
    /// The webmaster's link for this zone and item, made if there is none yet. The zone must be theirs and its
    /// site approved; the item must be listed. <paramref name="newCode"/> replaces the code source in tests.
    /// </summary>
    public async Task<LinkOutcome> GetOrCreateAsync(long webmasterId, long zoneId, long itemId, CancellationToken ct, Func<string>? newCode = null)
    {
        var zone = await db.AdZones.AsNoTracking()
            .Where(z => z.Id == zoneId && z.Site.WebmasterId == webmasterId)
            .Select(z => new { z.SiteId, z.Site.State })
            .SingleOrDefaultAsync(ct);
        if (zone is null) return LinkOutcome.Refused(LinkRefusal.ZoneNotFound);
        if (zone.State != SiteState.Approved) return LinkOutcome.Refused(LinkRefusal.SiteNotApproved);
        if (!await db.Items.AnyAsync(i => i.Id == itemId && i.IsOnSale, ct)) return LinkOutcome.Refused(LinkRefusal.ItemNotFound);

        var created = false;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // Two "get link" clicks at once (two tabs, a double click) must end with one link: the zone's row lock
            // makes them take turns. NO KEY UPDATE leaves the click path's foreign-key checks on the zone unblocked.
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM ad_zones WHERE id = {zoneId} FOR NO KEY UPDATE", ct);
            var exists = await db.Links.AnyAsync(l => l.ZoneId == zoneId && l.ItemId == itemId, ct);
            if (!exists)
            {
                var link = new Link
                {
                    WebmasterId = webmasterId, SiteId = zone.SiteId, ZoneId = zoneId, ItemId = itemId, CreatedAt = clock.GetUtcNow(),
                };
                db.Links.Add(link);
                for (var attempt = 1; ; attempt++)
                {
                    link.Code = (newCode ?? LinkCodes.New)();
                    try
                    {
                        // Inside a transaction EF saves behind a savepoint, so a refused insert can be retried.
                        await db.SaveChangesAsync(ct);
                        break;
                    }
                    catch (DbUpdateException e) when (attempt < MaxCodeAttempts
                        && e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ix_links_code" })
                    {
                        // Another link already has this code (vanishingly rare with 62^8 codes): draw again.
                    }
                }
                created = true;
            }
            await transaction.CommitAsync(ct);
        }

        var details = await FindAsync(webmasterId, l => l.ZoneId == zoneId && l.ItemId == itemId, ct);
        if (created)
        {
            logger.LogInformation("Webmaster {WebmasterId} created link {LinkId} for item {ItemId} in zone {Pid}",
                webmasterId, details!.Id, details.ItemId, details.Pid.ToString());
        }
        return new LinkOutcome(details!, created, LinkRefusal.None);
    }

    /// <summary>
    /// A deep link: the product URL a webmaster pasted, matched against the registered store hosts. The listed item whose
    /// external URL is that URL (query string included, else the same page without its query string), or only the shop
    /// when its host is registered but the page is not a known item; null when no shop registered the host.
    /// </summary>
    public async Task<ProductUrlMatch?> MatchProductUrlAsync(string url, CancellationToken ct)
    {
        if (ExternalStores.HostOf(url) is not { } host) return null;
        var shopId = await db.Shops.AsNoTracking().Where(s => s.StoreHost == host).Select(s => (long?)s.Id).SingleOrDefaultAsync(ct);
        if (shopId is null) return null;
        if (!ExternalStores.TryNormalizeUrl(url, host, out var normal)) return new ProductUrlMatch(null, shopId);
        var withoutQuery = new Uri(normal).GetLeftPart(UriPartial.Path);
        var candidates = await db.Items.AsNoTracking()
            .Where(i => i.ShopId == shopId && i.IsOnSale && (i.ExternalUrl == normal || i.ExternalUrl == withoutQuery))
            .OrderBy(i => i.Id).Select(i => new { i.Id, i.ExternalUrl }).ToListAsync(ct);
        var item = candidates.FirstOrDefault(c => c.ExternalUrl == normal) ?? candidates.FirstOrDefault();
        return new ProductUrlMatch(item?.Id, shopId);
    }

    /// <summary>The webmaster's zone, or null when there is no such zone or it is another webmaster's.</summary>
    public Task<LinkZone?> ZoneAsync(long webmasterId, long zoneId, CancellationToken ct) =>
        db.AdZones.AsNoTracking()
            .Where(z => z.Id == zoneId && z.Site.WebmasterId == webmasterId)
            .Select(z => new LinkZone(new Pid(webmasterId, z.SiteId, z.Id), z.Site.Name, z.Name, z.Site.State == SiteState.Approved))
            .SingleOrDefaultAsync(ct);

    /// <summary>The short codes of the webmaster's links in this zone for these items (items without a link are absent).</summary>
    public async Task<IReadOnlyDictionary<long, string>> CodesAsync(long webmasterId, long zoneId, IReadOnlyCollection<long> itemIds, CancellationToken ct) =>
        await db.Links.AsNoTracking()
            .Where(l => l.WebmasterId == webmasterId && l.ZoneId == zoneId && itemIds.Contains(l.ItemId))
            .ToDictionaryAsync(l => l.ItemId, l => l.Code, ct);

    /// <summary>The webmaster's links in this zone whose items are still listed, oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<ZoneLink>> ListZoneAsync(long webmasterId, long zoneId, int limit, CancellationToken ct) =>
        [.. (await Rows(webmasterId, l => l.ZoneId == zoneId && l.Item.IsOnSale).Take(limit).ToListAsync(ct))
            .Select(row => new ZoneLink(row.Details(), new Rate(row.RateBp)))];

    /// <summary>The webmaster's link with this short code, or null (also when it is another webmaster's).</summary>
    public Task<LinkDetails?> FindByCodeAsync(long webmasterId, string code, CancellationToken ct) =>
        FindAsync(webmasterId, l => l.Code == code, ct);

    /// <summary>The webmaster's link for this zone and item, if one was made already.</summary>
    public Task<LinkDetails?> FindAsync(long webmasterId, long zoneId, long itemId, CancellationToken ct) =>
        FindAsync(webmasterId, l => l.ZoneId == zoneId && l.ItemId == itemId, ct);

    private async Task<LinkDetails?> FindAsync(long webmasterId, Expression<Func<Link, bool>> which, CancellationToken ct) =>
        (await Rows(webmasterId, which).FirstOrDefaultAsync(ct))?.Details();

    /// <summary>The webmaster's links that match, oldest first, with what <see cref="LinkDetails"/> shows and the item's rate now.</summary>
    private IQueryable<LinkRow> Rows(long webmasterId, Expression<Func<Link, bool>> which) =>
        db.Links.AsNoTracking()
            .Where(l => l.WebmasterId == webmasterId)
            .Where(which)
            .OrderBy(l => l.Id)
            .Select(l => new LinkRow(l.Id, l.Code, l.WebmasterId, l.SiteId, l.ZoneId, l.ItemId, l.IsPaused, l.Item.TitleZh, l.Item.TitleEn,
                l.Item.PriceFen, l.Item.ImageUrl, l.Zone.Site.Name, l.Zone.Name, l.Item.CommissionRateBp ?? l.Item.Shop.GeneralRateBp));

    private sealed record LinkRow(long Id, string Code, long WebmasterId, long SiteId, long ZoneId, long ItemId, bool IsPaused,
        string TitleZh, string TitleEn, long PriceFen, string ImageUrl, string SiteName, string ZoneName, int RateBp)
    {
        public LinkDetails Details() => new(Id, Code, new Pid(WebmasterId, SiteId, ZoneId), ItemId, IsPaused,
            TitleZh, TitleEn, new Money(PriceFen), ImageUrl, SiteName, ZoneName);
    }
}
