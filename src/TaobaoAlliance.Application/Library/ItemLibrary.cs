using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Catalog;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Commissions;

namespace TaobaoAlliance.Application.Library;

/// <summary>How the item library can be ordered.</summary>
public enum LibrarySort { Sales, Rate, Commission, PriceAsc, PriceDesc, Epc }

/// <summary>What a webmaster searches the library for: keywords, filters, the order and the page (1-based).</summary>
public sealed record LibrarySearch(
    string? Query, int? CategoryId, long? ShopId, decimal? MinPrice, decimal? MaxPrice, decimal? MinRate, LibrarySort Sort, int PageNumber);

/// <summary>A category or shop to filter by.</summary>
public sealed record FilterOption(long Id, string Name);

/// <summary>A zone a link can be made for (its site is approved).</summary>
public sealed record ZoneOption(long Id, string Name, bool IsSmart, string SiteName);

/// <summary>One item of the library with what it pays: rate, commission at its price, and EPC of the last <see cref="ItemLibrary.EpcDays"/> days.</summary>
public sealed record LibraryItem(long Id, string Title, string OtherTitle, string ShopName, Money Price, Rate Rate, Money Commission,
    int MonthlySales, string ImageUrl, Money Epc, int Clicks);

/// <summary>The best open targeted plan on an item (its own or its shop's), and where this webmaster stands with it (null: not applied).</summary>
public sealed record PlanOffer(long PlanId, string Name, Rate Rate, PlanMembershipState? State);

/// <summary>One page of a search: its items, how many match in all, the page shown (clamped) and the plans offered by item id.</summary>
public sealed record LibraryPage(IReadOnlyList<LibraryItem> Items, int TotalItems, int PageNumber, IReadOnlyDictionary<long, PlanOffer> Offers)
{
    public int PageCount => ItemLibrary.PageCountOf(TotalItems);
}

/// <summary>A listed item as the "get link" page shows it.</summary>
public sealed record LibraryItemCard(long Id, string Title, string OtherTitle, Money Price, string ImageUrl, string ShopName);

/// <summary>
/// The item library: keyword search over both titles (trigram-indexed ILIKE, which works for Chinese),
/// filters, sorts including EPC, and paging; with the targeted plans open on each item. Names are in the
/// reader's language (<c>chinese</c>), the other title beside them.
/// </summary>
public sealed class ItemLibrary(AllianceDbContext db, TimeProvider clock)
{
    /// <summary>What webmasters earned from an item's recent valid clicks (a row of the EPC's earnings).</summary>
    private sealed record ItemEarnings(long ItemId, double Fen);

    public const int PageSize = 20;

    /// <summary>EPC looks back this far: long enough to be stable, short enough to follow the season.</summary>
    public const int EpcDays = 30;

    public static int PageCountOf(int totalItems) => Math.Max(1, (totalItems + PageSize - 1) / PageSize);

    public async Task<IReadOnlyList<FilterOption>> CategoriesAsync(bool chinese, CancellationToken ct) =>
        await db.Categories.AsNoTracking().OrderBy(c => c.Id)
            .Select(c => new FilterOption(c.Id, chinese ? c.NameZh : c.NameEn)).ToListAsync(ct);

    public async Task<IReadOnlyList<FilterOption>> ShopsAsync(bool chinese, CancellationToken ct) =>
        await db.Shops.AsNoTracking().OrderBy(s => chinese ? s.NameZh : s.NameEn)
            .Select(s => new FilterOption(s.Id, chinese ? s.NameZh : s.NameEn)).ToListAsync(ct);

    /// <summary>The webmaster's zones on approved sites: the ones a link can be made for.</summary>
    public async Task<IReadOnlyList<ZoneOption>> ZonesAsync(long webmasterId, CancellationToken ct) =>
        await db.AdZones.AsNoTracking()
            .Where(z => z.Site.WebmasterId == webmasterId && z.Site.State == SiteState.Approved)
            .OrderBy(z => z.Site.Name).ThenBy(z => z.SiteId).ThenBy(z => z.Id)
            .Select(z => new ZoneOption(z.Id, z.Name, z.IsSmart, z.Site.Name)).ToListAsync(ct);

    /// <summary>Whether the zone is the webmaster's, whatever its site's state.</summary>
    public Task<bool> OwnsZoneAsync(long webmasterId, long zoneId, CancellationToken ct) =>
        db.AdZones.AnyAsync(z => z.Id == zoneId && z.Site.WebmasterId == webmasterId, ct);

    /// <summary>The item if it is listed.</summary>
    public Task<LibraryItemCard?> ItemAsync(long itemId, bool chinese, CancellationToken ct) =>
        db.Items.AsNoTracking().Where(i => i.Id == itemId && i.IsListed)
            .Select(i => new LibraryItemCard(i.Id, chinese ? i.TitleZh : i.TitleEn, chinese ? i.TitleEn : i.TitleZh, new Money(i.PriceFen), i.ImageUrl,
                chinese ? i.Shop.NameZh : i.Shop.NameEn))
            .SingleOrDefaultAsync(ct);

    public async Task<LibraryPage> SearchAsync(LibrarySearch search, long webmasterId, bool chinese, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(search);
        var items = db.Items.AsNoTracking().Where(i => i.IsListed);
        if (!string.IsNullOrWhiteSpace(search.Query))
        {
            // ILIKE '%…%' is served by the gin_trgm_ops indexes on both titles, and needs no word segmentation.
            var pattern = SearchPattern.Containing(search.Query);
            items = items.Where(i => EF.Functions.ILike(i.TitleZh, pattern, "\\") || EF.Functions.ILike(i.TitleEn, pattern, "\\"));
        }
        if (search.CategoryId is { } categoryId) items = items.Where(i => i.CategoryId == categoryId);
        if (search.ShopId is { } shopId) items = items.Where(i => i.ShopId == shopId);
        if (search.MinPrice is { } minPrice)
        {
            var fen = Money.FromYuan(minPrice).Fen;
            items = items.Where(i => i.PriceFen >= fen);
        }
        if (search.MaxPrice is { } maxPrice)
        {
            var fen = Money.FromYuan(maxPrice).Fen;
            items = items.Where(i => i.PriceFen <= fen);
        }
        if (search.MinRate is { } minRate)
        {
            var bp = Rate.FromPercent(minRate).BasisPoints;
            items = items.Where(i => (i.CommissionRateBp ?? i.Shop.GeneralRateBp) >= bp);
        }
        var totalItems = await items.CountAsync(ct);
        var pageNumber = Math.Min(Math.Max(1, search.PageNumber), PageCountOf(totalItems));

        // EPC = what webmasters earned from the item's valid clicks of the last 30 days, per such click (all webmasters).
        // Refunded parts no longer earn: the commission is scaled to what is still paid (to the fen, as CommissionMath does).
        var since = clock.GetUtcNow().AddDays(-EpcDays);
        var recentClicks = db.Clicks.Where(c => c.IsValid && c.OccurredAt >= since);
        // Clicks are counted from the item rollup over whole China days, and from the clicks for the part-day at the
        // window's start. Earnings come from the commissions alone: each carries its click's time, item and validity
        // (kept by the database, migration ReportRollups), so no click is read; same arithmetic, in double precision.
        var window = new RollupWindow(since);
        var clickCounts = db.ClickDayItems.Where(r => r.Day >= window.FirstWholeDay).Select(r => new { r.ItemId, Clicks = r.Valid })
            .Concat(recentClicks.Where(c => c.OccurredAt < window.FirstWholeDayStart).Select(c => new { c.ItemId, Clicks = 1L }))
            .GroupBy(x => x.ItemId).Select(g => new { ItemId = g.Key, Clicks = g.Sum(x => x.Clicks) });
        var earnings = db.Database.SqlQuery<ItemEarnings>($"""
            SELECT m.click_item_id AS item_id,
                   sum((m.webmaster_fen + m.subsidy_fen)::double precision * (m.base_fen - m.refunded_base_fen)::double precision / m.base_fen::double precision) AS fen
            FROM commissions m
            WHERE m.click_valid AND m.click_at >= {since} AND m.state NOT IN ('Reversed', 'Voided') AND m.base_fen > 0
            GROUP BY 1
            """);

        var rows =
            from i in items
            join c in clickCounts on i.Id equals c.ItemId into cs
            from c in cs.DefaultIfEmpty()
            join e in earnings on i.Id equals e.ItemId into es
            from e in es.DefaultIfEmpty()
            select new
            {
                i.Id, i.ShopId, i.TitleZh, i.TitleEn, ShopZh = i.Shop.NameZh, ShopEn = i.Shop.NameEn, i.PriceFen, i.MonthlySales, i.ImageUrl,
                RateBp = i.CommissionRateBp ?? i.Shop.GeneralRateBp,
                // Items nobody clicked have no row in the aggregates: the left join gives NULL, read as 0.
                Clicks = (long?)c!.Clicks ?? 0,
                EarnedFen = (double?)e!.Fen ?? 0.0,
            } into r
            select new { r, Epc = r.Clicks == 0 ? 0.0 : r.EarnedFen / r.Clicks };

        var ordered = search.Sort switch
        {
            LibrarySort.Rate => rows.OrderByDescending(x => x.r.RateBp).ThenByDescending(x => x.r.MonthlySales),
            LibrarySort.Commission => rows.OrderByDescending(x => x.r.PriceFen * x.r.RateBp),
            LibrarySort.PriceAsc => rows.OrderBy(x => x.r.PriceFen),
            LibrarySort.PriceDesc => rows.OrderByDescending(x => x.r.PriceFen),
            LibrarySort.Epc => rows.OrderByDescending(x => x.Epc).ThenByDescending(x => x.r.MonthlySales),
            _ => rows.OrderByDescending(x => x.r.MonthlySales),
        };
        var page = await ordered.ThenBy(x => x.r.Id).Skip((pageNumber - 1) * PageSize).Take(PageSize).ToListAsync(ct);

        IReadOnlyList<LibraryItem> found = [.. page.Select(x =>
        {
            var price = new Money(x.r.PriceFen);
            var rate = new Rate(x.r.RateBp);
            return new LibraryItem(x.r.Id, chinese ? x.r.TitleZh : x.r.TitleEn, chinese ? x.r.TitleEn : x.r.TitleZh, chinese ? x.r.ShopZh : x.r.ShopEn,
                price, rate, price.Times(rate), x.r.MonthlySales, x.r.ImageUrl,
                new Money((long)Math.Round(x.Epc, MidpointRounding.AwayFromZero)), (int)x.r.Clicks);
        })];
        var offers = await OffersAsync([.. page.Select(x => (x.r.Id, x.r.ShopId))], webmasterId, ct);
        return new LibraryPage(found, totalItems, pageNumber, offers);
    }

    /// <summary>For each item of the page, the highest-paying targeted plan open now on the item or its whole shop.</summary>
    private async Task<IReadOnlyDictionary<long, PlanOffer>> OffersAsync(IReadOnlyList<(long ItemId, long ShopId)> items, long webmasterId,
        CancellationToken ct)
    {
        if (items.Count == 0) return new Dictionary<long, PlanOffer>();
        var itemIds = items.Select(i => i.ItemId).ToList();
        var shopIds = items.Select(i => i.ShopId).Distinct().ToList();
        var plans = await db.TargetedPlans.AsNoTracking().OpenAt(clock.GetUtcNow())
            .Where(p => shopIds.Contains(p.ShopId) && (p.ItemId == null || itemIds.Contains(p.ItemId.Value)))
            .Select(p => new
            {
                p.Id, p.ShopId, p.ItemId, p.Name, p.RateBp,
                State = p.Members.Where(m => m.WebmasterId == webmasterId).Select(m => (PlanMembershipState?)m.State).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return items
            .Select(i => (i.ItemId, Plan: plans.Where(p => p.ShopId == i.ShopId && TargetedPlanRules.Covers(p.ItemId, i.ItemId))
                .OrderByDescending(p => p.RateBp).ThenBy(p => p.Id).FirstOrDefault()))
            .Where(x => x.Plan is not null)
            .ToDictionary(x => x.ItemId, x => new PlanOffer(x.Plan!.Id, x.Plan.Name, new Rate(x.Plan.RateBp), x.Plan.State));
    }
}
