using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Catalog;
using TaobaoAlliance.Attribution.Commissions;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Commissions;

namespace TaobaoAlliance.Application.Library;

/// <summary>How the item library can be ordered.</summary>
public enum LibrarySort { Sales, Rate, Commission, PriceAsc, PriceDesc, Epc }

/// <summary>What a webmaster searches the library for: keywords, filters, the order and the page (1-based).</summary>
public sealed record LibrarySearch(
    string? Query, int? CategoryId, long? ShopId, decimal? MinPrice, decimal? MaxPrice, decimal? MinRate, LibrarySort Sort, int PageNumber)
{
    /// <summary>The highest commission rate (percent) to show; the API's rate range (the page has a minimum only).</summary>
    public decimal? MaxRate { get; init; }
}

/// <summary>A category or shop to filter by.</summary>
public sealed record FilterOption(long Id, string Name);

/// <summary>A zone a link can be made for (its site is approved).</summary>
public sealed record ZoneOption(long Id, string Name, bool IsSmart, string SiteName);

/// <summary>
/// One item of the library with what it pays: rate, commission at its price (what the seller pays, and
/// <paramref name="Earns"/>, what the webmaster keeps after the platform's fee — the same basis as EPC), and
/// EPC of the last <see cref="ItemLibrary.EpcDays"/> days.
/// </summary>
public sealed record LibraryItem(long Id, string Title, string OtherTitle, string ShopName, Money Price, Rate Rate, Money Commission,
    int MonthlySales, string ImageUrl, Money Epc, int Clicks, Money Earns = default, Rate PlatformFee = default);

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
public sealed class ItemLibrary(AllianceDbContext db, TimeProvider clock, IOptionsSnapshot<AllianceOptions> options)
{
    /// <summary>What webmasters earned from an item's recent valid clicks (a row of the EPC's earnings).</summary>
    private sealed record ItemEarnings(long ItemId, decimal Fen);

    /// <summary>An item's recent valid clicks (a row of the EPC's clicks).</summary>
    private sealed class ItemClicks
    {
        public long ItemId { get; init; }
        public long Clicks { get; init; }
    }

    /// <summary>A listed item as the search reads it, before its EPC.</summary>
    private sealed record LibraryRow(long Id, long ShopId, string TitleZh, string TitleEn, string ShopZh, string ShopEn, long PriceFen,
        int MonthlySales, string ImageUrl, int RateBp);

    public const int PageSize = 20;

    /// <summary>EPC looks back this far: long enough to be stable, short enough to follow the season.</summary>
    public const int EpcDays = 30;

    public static int PageCountOf(int totalItems) => Math.Max(1, (totalItems + PageSize - 1) / PageSize);

    public async Task<IReadOnlyList<FilterOption>> CategoriesAsync(bool chinese, CancellationToken ct) =>
        await db.Categories.AsNoTracking().Offered()
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
        db.Items.AsNoTracking().Where(i => i.Id == itemId && i.IsOnSale)
            .Select(i => new LibraryItemCard(i.Id, chinese ? i.TitleZh : i.TitleEn, chinese ? i.TitleEn : i.TitleZh, new Money(i.PriceFen), i.ImageUrl,
                chinese ? i.Shop.NameZh : i.Shop.NameEn))
            .SingleOrDefaultAsync(ct);

    public async Task<LibraryPage> SearchAsync(LibrarySearch search, long webmasterId, bool chinese, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(search);
        var items = db.Items.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search.Query))
        {
            // The items holding every one- and two-character piece of the keyword come from the GIN index on
            // title_grams (migration SaleRollups: trigrams cannot serve a two-character Chinese word); ILIKE '%…%' then
            // keeps those that contain it. No word segmentation is needed.
            var keyword = search.Query.Trim();
            var pattern = SearchPattern.Containing(search.Query);
            items = db.Items.FromSql($"SELECT * FROM items WHERE title_grams(title_zh || ' ' || title_en) @> title_grams({keyword})").AsNoTracking();
            // A keyword of one or two characters is itself one of the pieces, so holding it is containing it (ILIKE
            // compares lower-cased text, as title_grams does; with no space in the keyword no piece spans the two titles):
            // ILIKE would only read the titles of every match again (手机: 10,000 items at scale).
            if (keyword.Length > 2 || keyword.Any(char.IsWhiteSpace))
            {
                items = items.Where(i => EF.Functions.ILike(i.TitleZh, pattern, "\\") || EF.Functions.ILike(i.TitleEn, pattern, "\\"));
            }
        }
        items = items.Where(i => i.IsOnSale);
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
        if (search.MaxRate is { } maxRate)
        {
            var bp = Rate.FromPercent(maxRate).BasisPoints;
            items = items.Where(i => (i.CommissionRateBp ?? i.Shop.GeneralRateBp) <= bp);
        }
        var totalItems = await items.CountAsync(ct);
        var pageNumber = Math.Min(Math.Max(1, search.PageNumber), PageCountOf(totalItems));

        // EPC = what webmasters earned from the item's valid clicks of the last 30 days, per such click (all webmasters).
        // Both halves come from day rollups over whole China days (clicks: click_day_items; earnings, what each
        // commission is worth now, refunds taken off: commission_day_items) and from the raw rows for the part-day at
        // the window's start, through their (item, time) and click_at indexes: no click is read, no month is summed.
        var since = clock.GetUtcNow().AddDays(-EpcDays);
        var window = new RollupWindow(since);
        IQueryable<ItemClicks> ClicksOf(long[]? ids) => db.ClickDayItems
            .Where(r => r.Day >= window.FirstWholeDay && (ids == null || ids.Contains(r.ItemId))).Select(r => new { r.ItemId, Clicks = r.Valid })
            .Concat(db.Clicks.Where(c => c.IsValid && c.OccurredAt >= since && c.OccurredAt < window.FirstWholeDayStart && (ids == null || ids.Contains(c.ItemId)))
                .Select(c => new { c.ItemId, Clicks = 1L }))
            .GroupBy(x => x.ItemId).Select(g => new ItemClicks { ItemId = g.Key, Clicks = g.Sum(x => x.Clicks) });
        IQueryable<ItemEarnings> EarningsOf(long[]? ids) => db.Database.SqlQuery<ItemEarnings>($"""
            SELECT e.item_id, sum(e.fen) AS fen
            FROM (SELECT r.item_id, r.earned_fen AS fen FROM commission_day_items r WHERE r.day >= {window.FirstWholeDay}
                  UNION ALL
                  SELECT m.click_item_id, w.webmaster_fen + w.subsidy_fen
                  FROM commissions m CROSS JOIN LATERAL commission_worth(m) w
                  WHERE m.click_valid AND m.click_at >= {since} AND m.click_at < {window.FirstWholeDayStart}) e
            WHERE {ids}::bigint[] IS NULL OR e.item_id = ANY({ids})
            GROUP BY 1
            """);

        // Relevance of a keyword match: the share of the title the keyword covers (the best of the two titles that
        // contain it), so "Fast Charging" ranks a charger called that above a phone whose long title mentions it.
        // pg_trgm's similarity() was the first choice, but it scores 0 for a two-character Chinese word inside a
        // title with no spaces (手机 in 华为手机壳), so the share is computed directly; it reads only the titles
        // of the matching items, which the keyword's sort already has to visit.
        var term = search.Query?.Trim() ?? "";
        var termLength = (double)term.Length;
        var termPattern = SearchPattern.Containing(term);
        var listed =
            from i in items
            select new
            {
                i.Id, i.ShopId, i.TitleZh, i.TitleEn, ShopZh = i.Shop.NameZh, ShopEn = i.Shop.NameEn, i.PriceFen, i.MonthlySales, i.ImageUrl,
                RateBp = i.CommissionRateBp ?? i.Shop.GeneralRateBp,
                Relevance = term.Length == 0 ? 0.0 : Math.Max(
                    i.TitleZh.Length > 0 && EF.Functions.ILike(i.TitleZh, termPattern, "\\") ? termLength / i.TitleZh.Length : 0.0,
                    i.TitleEn.Length > 0 && EF.Functions.ILike(i.TitleEn, termPattern, "\\") ? termLength / i.TitleEn.Length : 0.0),
            };
        List<(LibraryRow Row, long Clicks, double Epc)> page;
        if (search.Sort == LibrarySort.Epc)
        {
            // Ordered by EPC: every matching item needs its EPC, so the rollups are grouped for all items.
            var rows =
                from r in listed
                join c in ClicksOf(null) on r.Id equals c.ItemId into cs
                from c in cs.DefaultIfEmpty()
                join e in EarningsOf(null) on r.Id equals e.ItemId into es
                from e in es.DefaultIfEmpty()
                // Items nobody clicked have no row in the aggregates: the left join gives NULL, read as 0.
                let clicks = (long?)c!.Clicks ?? 0
                select new { r, Clicks = clicks, Epc = clicks == 0 ? 0.0 : ((double?)e!.Fen ?? 0.0) / clicks };
            var found = await rows.OrderByDescending(x => x.Epc).ThenByDescending(x => x.r.MonthlySales).ThenBy(x => x.r.Id)
                .Skip((pageNumber - 1) * PageSize).Take(PageSize).ToListAsync(ct);
            page = [.. found.Select(x => (new LibraryRow(x.r.Id, x.r.ShopId, x.r.TitleZh, x.r.TitleEn, x.r.ShopZh, x.r.ShopEn, x.r.PriceFen,
                x.r.MonthlySales, x.r.ImageUrl, x.r.RateBp), x.Clicks, x.Epc))];
        }
        else
        {
            // Any other order needs no EPC to choose the page: the page first, then the EPC of its items only.
            var ordered = search.Sort switch
            {
                LibrarySort.Rate => listed.OrderByDescending(r => r.RateBp).ThenByDescending(r => r.MonthlySales),
                LibrarySort.Commission => listed.OrderByDescending(r => r.PriceFen * r.RateBp),
                LibrarySort.PriceAsc => listed.OrderBy(r => r.PriceFen),
                LibrarySort.PriceDesc => listed.OrderByDescending(r => r.PriceFen),
                // The default order: with a keyword, the best matches first and sales among equals; without one, sales.
                _ when term.Length > 0 => listed.OrderByDescending(r => r.Relevance).ThenByDescending(r => r.MonthlySales),
                _ => listed.OrderByDescending(r => r.MonthlySales),
            };
            var found = await ordered.ThenBy(r => r.Id).Skip((pageNumber - 1) * PageSize).Take(PageSize)
                .Select(r => new LibraryRow(r.Id, r.ShopId, r.TitleZh, r.TitleEn, r.ShopZh, r.ShopEn, r.PriceFen, r.MonthlySales, r.ImageUrl, r.RateBp))
                .ToListAsync(ct);
            long[] ids = [.. found.Select(r => r.Id)];
            var clicks = await ClicksOf(ids).ToDictionaryAsync(c => c.ItemId, c => c.Clicks, ct);
            var earnings = await EarningsOf(ids).ToDictionaryAsync(e => e.ItemId, e => e.Fen, ct);
            page = [.. found.Select(r =>
            {
                var itemClicks = clicks.GetValueOrDefault(r.Id);
                return (r, itemClicks, itemClicks == 0 ? 0.0 : (double)earnings.GetValueOrDefault(r.Id) / itemClicks);
            })];
        }

        var platformFee = new Rate(options.Value.PlatformFeeBp);
        IReadOnlyList<LibraryItem> shown = [.. page.Select(x =>
        {
            var price = new Money(x.Row.PriceFen);
            var rate = new Rate(x.Row.RateBp);
            var split = CommissionCalculator.Split(price, rate, platformFee);
            return new LibraryItem(x.Row.Id, chinese ? x.Row.TitleZh : x.Row.TitleEn, chinese ? x.Row.TitleEn : x.Row.TitleZh,
                chinese ? x.Row.ShopZh : x.Row.ShopEn, price, rate, split.Commission, x.Row.MonthlySales, x.Row.ImageUrl,
                new Money((long)Math.Round(x.Epc, MidpointRounding.AwayFromZero)), (int)x.Clicks, split.Webmaster, platformFee);
        })];
        var offers = await OffersAsync([.. page.Select(x => (x.Row.Id, x.Row.ShopId))], webmasterId, ct);
        return new LibraryPage(shown, totalItems, pageNumber, offers);
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
