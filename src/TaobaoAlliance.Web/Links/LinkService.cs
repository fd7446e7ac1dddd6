using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using QRCoder;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Data.Tracking;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Links;

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

/// <summary>A webmaster's link with what the snippets need of its item, zone and site.</summary>
public sealed record LinkDetails(
    long Id, string Code, Pid Pid, long ItemId, bool IsPaused, string TitleZh, string TitleEn, Money Price, string ImageUrl,
    string SiteName, string ZoneName);

/// <summary>The link that was found or made (<see cref="Created"/> says which), or why there is none.</summary>
public sealed record LinkOutcome(LinkDetails? Link, bool Created, LinkRefusal Refusal)
{
    public static LinkOutcome Refused(LinkRefusal refusal) => new(null, false, refusal);
}

/// <summary>Everything a webmaster pastes into their site for one link.</summary>
public sealed record LinkSnippets(string ShortUrl, string LongUrl, string TextLink, string ImageCard);

/// <summary>
/// Ad links: unguessable short codes, one link per zone and item (asking again gives the same link),
/// and the snippets and QR code a webmaster puts on their site.
/// </summary>
public static class LinkService
{
    public const int CodeLength = 8;

    /// <summary>62 letters and digits: 62^8 ≈ 2.2 × 10^14 codes, so nobody finds links by guessing.</summary>
    private const string CodeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private const int MaxCodeAttempts = 5;

    public static string NewCode() => new(RandomNumberGenerator.GetItems<char>(CodeAlphabet, CodeLength));

    /// <summary>
    /// The webmaster's link for this zone and item, made if there is none yet. The zone must be theirs and its
    /// site approved; the item must be listed. <paramref name="newCode"/> replaces the code source in tests.
    /// </summary>
    public static async Task<LinkOutcome> GetOrCreateAsync(AllianceDbContext db, TimeProvider clock, long webmasterId, long zoneId,
        long itemId, CancellationToken ct, Func<string>? newCode = null)
    {
        var zone = await db.AdZones.AsNoTracking()
            .Where(z => z.Id == zoneId && z.Site.WebmasterId == webmasterId)
            .Select(z => new { z.SiteId, z.Site.State })
            .SingleOrDefaultAsync(ct);
        if (zone is null) return LinkOutcome.Refused(LinkRefusal.ZoneNotFound);
        if (zone.State != SiteState.Approved) return LinkOutcome.Refused(LinkRefusal.SiteNotApproved);
        if (!await db.Items.AnyAsync(i => i.Id == itemId && i.IsListed, ct)) return LinkOutcome.Refused(LinkRefusal.ItemNotFound);

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
                    link.Code = (newCode ?? NewCode)();
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

        var details = await FindAsync(db, webmasterId, l => l.ZoneId == zoneId && l.ItemId == itemId, ct);
        return new LinkOutcome(details!, created, LinkRefusal.None);
    }

    /// <summary>The webmaster's link with this short code, or null (also when it is another webmaster's).</summary>
    public static Task<LinkDetails?> FindByCodeAsync(AllianceDbContext db, long webmasterId, string code, CancellationToken ct) =>
        FindAsync(db, webmasterId, l => l.Code == code, ct);

    /// <summary>The webmaster's link for this zone and item, if one was made already.</summary>
    public static Task<LinkDetails?> FindAsync(AllianceDbContext db, long webmasterId, long zoneId, long itemId, CancellationToken ct) =>
        FindAsync(db, webmasterId, l => l.ZoneId == zoneId && l.ItemId == itemId, ct);

    private static async Task<LinkDetails?> FindAsync(AllianceDbContext db, long webmasterId,
        System.Linq.Expressions.Expression<Func<Link, bool>> which, CancellationToken ct)
    {
        var row = await db.Links.AsNoTracking()
            .Where(l => l.WebmasterId == webmasterId)
            .Where(which)
            .OrderBy(l => l.Id)
            .Select(l => new
            {
                l.Id, l.Code, l.WebmasterId, l.SiteId, l.ZoneId, l.ItemId, l.IsPaused,
                l.Item.TitleZh, l.Item.TitleEn, l.Item.PriceFen, l.Item.ImageUrl, SiteName = l.Zone.Site.Name, ZoneName = l.Zone.Name,
            })
            .FirstOrDefaultAsync(ct);
        return row is null
            ? null
            : new LinkDetails(row.Id, row.Code, new Pid(row.WebmasterId, row.SiteId, row.ZoneId), row.ItemId, row.IsPaused,
                row.TitleZh, row.TitleEn, new Money(row.PriceFen), row.ImageUrl, row.SiteName, row.ZoneName);
    }

    /// <summary>
    /// The short link, the long link and two HTML snippets, with absolute URLs on <paramref name="origin"/>
    /// (scheme and host of the portal). The title is the seller's text: it is HTML-encoded in the snippets.
    /// </summary>
    public static LinkSnippets Snippets(LinkDetails link, Uri origin, string title)
    {
        var shortUrl = new Uri(origin, "/c/" + link.Code).AbsoluteUri;
        var longUrl = new Uri(origin, string.Create(CultureInfo.InvariantCulture, $"/c?pid={link.Pid}&item={link.ItemId}")).AbsoluteUri;
        var image = Uri.TryCreate(link.ImageUrl, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            ? absolute.AbsoluteUri
            : new Uri(origin, link.ImageUrl).AbsoluteUri;
        var text = Escape(title);
        // rel="sponsored": search engines ask for paid links to be marked so.
        var textLink = $"<a href=\"{Escape(shortUrl)}\" target=\"_blank\" rel=\"sponsored noopener\">{text}</a>";
        var imageCard =
            $"<a class=\"alliance-card\" href=\"{Escape(shortUrl)}\" target=\"_blank\" rel=\"sponsored noopener\">"
            + $"<img src=\"{Escape(image)}\" alt=\"{text}\" width=\"200\" height=\"200\" loading=\"lazy\">"
            + $"<span class=\"alliance-card-title\">{text}</span>"
            + $"<span class=\"alliance-card-price\">{Escape(link.Price.ToString())}</span></a>";
        return new LinkSnippets(shortUrl, longUrl, textLink, imageCard);
    }

    /// <summary>
    /// Escapes the five HTML-sensitive characters and nothing else, so Chinese titles and the ¥ sign stay
    /// readable in the snippet the webmaster pastes (WebUtility would write ¥ as &amp;#165;).
    /// </summary>
    private static string Escape(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);

    /// <summary>A PNG QR code of a URL, large enough to print (the browser scales it down on screen).</summary>
    public static byte[] QrPng(string url)
    {
        using var data = QRCodeGenerator.GenerateQrCode(url, QRCodeGenerator.ECCLevel.M);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(10);
    }
}
