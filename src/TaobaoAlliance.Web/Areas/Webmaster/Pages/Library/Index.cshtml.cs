using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Web.Links;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Areas.Webmaster.Pages.Library;

/// <summary>How the item library can be ordered.</summary>
public enum LibrarySort { Sales, Rate, Commission, PriceAsc, PriceDesc, Epc }

/// <summary>
/// The item library: keyword search over both titles (trigram-indexed ILIKE, which works for Chinese),
/// filters, sorts including EPC, and paging; each row offers "Get link" (a modal, or the Link page without JS).
/// </summary>
public sealed class IndexModel(AllianceDbContext db, CurrentActor me, TimeProvider clock, IStringLocalizer<SharedResource> localizer, ILogger<IndexModel> logger) : PageModel
{
    public const int PageSize = 20;

    /// <summary>EPC looks back this far: long enough to be stable, short enough to follow the season.</summary>
    public const int EpcDays = 30;

    [BindProperty(SupportsGet = true, Name = "q")]
    [StringLength(100, ErrorMessage = "{0} can be at most {1} characters.")]
    [Display(Name = "Keywords")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "category")] public int? CategoryId { get; set; }

    [BindProperty(SupportsGet = true, Name = "shop")] public long? ShopId { get; set; }

    [BindProperty(SupportsGet = true, Name = "minPrice")]
    [Range(0d, 10_000_000d, ErrorMessage = "{0} must be between {1} and {2}.")]
    [Display(Name = "Lowest price (¥)")]
    public decimal? MinPrice { get; set; }

    [BindProperty(SupportsGet = true, Name = "maxPrice")]
    [Range(0d, 10_000_000d, ErrorMessage = "{0} must be between {1} and {2}.")]
    [Display(Name = "Highest price (¥)")]
    public decimal? MaxPrice { get; set; }

    [BindProperty(SupportsGet = true, Name = "minRate")]
    [Range(0d, 90d, ErrorMessage = "{0} must be between {1} and {2}.")]
    [Display(Name = "Lowest commission rate (%)")]
    public decimal? MinRate { get; set; }

    [BindProperty(SupportsGet = true, Name = "sort")]
    [Display(Name = "Sort by")]
    public LibrarySort Sort { get; set; } = LibrarySort.Sales;

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public sealed record FilterOption(long Id, string Name);

    /// <summary>A zone a link can be made for (its site is approved).</summary>
    public sealed record ZoneOption(long Id, string Name, bool IsSmart, string SiteName);

    public sealed record LibraryItem(long Id, string Title, string OtherTitle, string ShopName, Money Price, Rate Rate, Money Commission,
        int MonthlySales, string ImageUrl, Money Epc, int Clicks);

    /// <summary>The best open targeted plan on an item (its own or its shop's), and where this webmaster stands with it (null: not applied).</summary>
    public sealed record PlanOffer(long PlanId, string Name, Rate Rate, PlanMembershipState? State);

    /// <summary>Targeted plans offered on the items of this page, by item id.</summary>
    public IReadOnlyDictionary<long, PlanOffer> Offers { get; private set; } = new Dictionary<long, PlanOffer>();

    [TempData(Key = "LibraryMessage")] public string? Message { get; set; }

    public IReadOnlyList<FilterOption> Categories { get; private set; } = [];
    public IReadOnlyList<FilterOption> Shops { get; private set; } = [];
    public IReadOnlyList<ZoneOption> Zones { get; private set; } = [];
    public IReadOnlyList<LibraryItem> Items { get; private set; } = [];
    public int TotalItems { get; private set; }
    public int PageCount => Math.Max(1, (TotalItems + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        Categories = await db.Categories.AsNoTracking().OrderBy(c => c.Id)
            .Select(c => new FilterOption(c.Id, zh ? c.NameZh : c.NameEn)).ToListAsync(ct);
        Shops = await db.Shops.AsNoTracking().OrderBy(s => zh ? s.NameZh : s.NameEn)
            .Select(s => new FilterOption(s.Id, zh ? s.NameZh : s.NameEn)).ToListAsync(ct);
        Zones = await db.AdZones.AsNoTracking()
            .Where(z => z.Site.WebmasterId == webmasterId && z.Site.State == SiteState.Approved)
            .OrderBy(z => z.Site.Name).ThenBy(z => z.SiteId).ThenBy(z => z.Id)
            .Select(z => new ZoneOption(z.Id, z.Name, z.IsSmart, z.Site.Name)).ToListAsync(ct);

        if (MinPrice is { } low && MaxPrice is { } high && low > high)
        {
            ModelState.AddModelError("maxPrice", localizer["The highest price must not be below the lowest."]);
        }
        // A filter that did not parse must not be silently dropped: the webmaster would read the wrong list.
        if (!ModelState.IsValid) return Page();

        PageNumber = Math.Max(1, PageNumber);
        await SearchAsync(zh, webmasterId, ct);
        return Page();
    }

    /// <summary>
    /// Applies to a targeted plan that is open now. The seller decides; until then the webmaster earns the
    /// normal rates. Applying again changes nothing (one row per plan and webmaster).
    /// </summary>
    public async Task<IActionResult> OnPostApplyAsync(long planId, CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        var now = clock.GetUtcNow();
        var plan = await db.TargetedPlans.AsNoTracking().OpenAt(now).Where(p => p.Id == planId).Select(p => new { p.Id, p.Name }).SingleOrDefaultAsync(ct);
        if (plan is null) return NotFound();
        if (!await db.TargetedPlanMembers.AnyAsync(m => m.PlanId == planId && m.WebmasterId == webmasterId, ct))
        {
            db.TargetedPlanMembers.Add(new TargetedPlanMember { PlanId = planId, WebmasterId = webmasterId, State = PlanMembershipState.Applied, AppliedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
                logger.LogInformation("Webmaster {WebmasterId} applied to targeted plan {PlanId}", webmasterId, planId);
            }
            catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
            {
                // A double click raced this request: the application exists, which is all that was asked.
            }
        }
        Message = localizer["You applied to “{0}”. The seller will decide; once approved, your clicks earn the plan rate.", plan.Name].Value;
        var back = new RouteValueDictionary { ["area"] = "Webmaster" };
        foreach (var (key, value) in RouteFor(PageNumber)) back[key] = value;
        return RedirectToPage("/Library/Index", back);
    }

    private async Task SearchAsync(bool zh, long webmasterId, CancellationToken ct)
    {
        var items = db.Items.AsNoTracking().Where(i => i.IsListed);
        if (!string.IsNullOrWhiteSpace(Query))
        {
            // ILIKE '%…%' is served by the gin_trgm_ops indexes on both titles, and needs no word segmentation.
            var pattern = "%" + EscapeLike(Query.Trim()) + "%";
            items = items.Where(i => EF.Functions.ILike(i.TitleZh, pattern, "\\") || EF.Functions.ILike(i.TitleEn, pattern, "\\"));
        }
        if (CategoryId is { } categoryId) items = items.Where(i => i.CategoryId == categoryId);
        if (ShopId is { } shopId) items = items.Where(i => i.ShopId == shopId);
        if (MinPrice is { } minPrice)
        {
            var fen = Money.FromYuan(minPrice).Fen;
            items = items.Where(i => i.PriceFen >= fen);
        }
        if (MaxPrice is { } maxPrice)
        {
            var fen = Money.FromYuan(maxPrice).Fen;
            items = items.Where(i => i.PriceFen <= fen);
        }
        if (MinRate is { } minRate)
        {
            var bp = Rate.FromPercent(minRate).BasisPoints;
            items = items.Where(i => (i.CommissionRateBp ?? i.Shop.GeneralRateBp) >= bp);
        }
        TotalItems = await items.CountAsync(ct);
        PageNumber = Math.Min(PageNumber, PageCount);

        // EPC = what webmasters earned from the item's valid clicks of the last 30 days, per such click (all webmasters).
        // Refunded parts no longer earn: the commission is scaled to what is still paid (to the fen, as CommissionMath does).
        var since = clock.GetUtcNow().AddDays(-EpcDays);
        var recentClicks = db.Clicks.Where(c => c.IsValid && c.OccurredAt >= since);
        var clickCounts = recentClicks.GroupBy(c => c.ItemId).Select(g => new { ItemId = g.Key, Clicks = g.Count() });
        var earnings = db.Commissions
            .Where(m => m.State != CommissionState.Reversed && m.State != CommissionState.Voided && m.BaseFen > 0)
            .Join(recentClicks, m => m.ClickId, c => c.Id, (m, c) => new
            {
                c.ItemId,
                Fen = (double)(m.WebmasterFen + m.SubsidyFen) * (m.BaseFen - m.RefundedBaseFen) / m.BaseFen,
            })
            .GroupBy(x => x.ItemId).Select(g => new { ItemId = g.Key, Fen = g.Sum(x => x.Fen) });

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
                Clicks = (int?)c!.Clicks ?? 0,
                EarnedFen = (double?)e!.Fen ?? 0.0,
            } into r
            select new { r, Epc = r.Clicks == 0 ? 0.0 : r.EarnedFen / r.Clicks };

        var ordered = Sort switch
        {
            LibrarySort.Rate => rows.OrderByDescending(x => x.r.RateBp).ThenByDescending(x => x.r.MonthlySales),
            LibrarySort.Commission => rows.OrderByDescending(x => x.r.PriceFen * x.r.RateBp),
            LibrarySort.PriceAsc => rows.OrderBy(x => x.r.PriceFen),
            LibrarySort.PriceDesc => rows.OrderByDescending(x => x.r.PriceFen),
            LibrarySort.Epc => rows.OrderByDescending(x => x.Epc).ThenByDescending(x => x.r.MonthlySales),
            _ => rows.OrderByDescending(x => x.r.MonthlySales),
        };
        var page = await ordered.ThenBy(x => x.r.Id).Skip((PageNumber - 1) * PageSize).Take(PageSize).ToListAsync(ct);

        Items = [.. page.Select(x =>
        {
            var price = new Money(x.r.PriceFen);
            var rate = new Rate(x.r.RateBp);
            return new LibraryItem(x.r.Id, zh ? x.r.TitleZh : x.r.TitleEn, zh ? x.r.TitleEn : x.r.TitleZh, zh ? x.r.ShopZh : x.r.ShopEn,
                price, rate, price.Times(rate), x.r.MonthlySales, x.r.ImageUrl,
                new Money((long)Math.Round(x.Epc, MidpointRounding.AwayFromZero)), x.r.Clicks);
        })];
        await LoadOffersAsync([.. page.Select(x => (x.r.Id, x.r.ShopId))], webmasterId, ct);
    }

    /// <summary>For each item of the page, the highest-paying targeted plan open now on the item or its whole shop.</summary>
    private async Task LoadOffersAsync(IReadOnlyList<(long ItemId, long ShopId)> items, long webmasterId, CancellationToken ct)
    {
        if (items.Count == 0) return;
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
        Offers = items
            .Select(i => (i.ItemId, Plan: plans.Where(p => p.ShopId == i.ShopId && (p.ItemId == null || p.ItemId == i.ItemId))
                .OrderByDescending(p => p.RateBp).ThenBy(p => p.Id).FirstOrDefault()))
            .Where(x => x.Plan is not null)
            .ToDictionary(x => x.ItemId, x => new PlanOffer(x.Plan!.Id, x.Plan.Name, new Rate(x.Plan.RateBp), x.Plan.State));
    }

    /// <summary>The query string of this search on another page (or with another sort): keeps every filter.</summary>
    public Dictionary<string, string> RouteFor(int? page = null, LibrarySort? sort = null)
    {
        var values = new Dictionary<string, string>();
        void Add(string key, object? value)
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture);
            if (!string.IsNullOrWhiteSpace(text)) values[key] = text;
        }
        Add("q", Query?.Trim());
        Add("category", CategoryId);
        Add("shop", ShopId);
        Add("minPrice", MinPrice);
        Add("maxPrice", MaxPrice);
        Add("minRate", MinRate);
        Add("sort", (sort ?? Sort) == LibrarySort.Sales ? null : (sort ?? Sort).ToString());
        Add("p", (page ?? 1) == 1 ? null : page);
        return values;
    }

    /// <summary>Makes the user's % and _ (and the escape character itself) literal in a LIKE pattern.</summary>
    internal static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
