using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Library;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Webmaster.Pages.Library;

/// <summary>
/// The item library (<see cref="ItemLibrary"/>): keyword search, filters, sorts including EPC, and paging;
/// each row offers "Get link" (a modal, or the Link page without JS) and the targeted plan open on it.
/// </summary>
public sealed class IndexModel(ItemLibrary library, PlanApplications applications, CurrentActor me, IStringLocalizer<SharedResource> localizer)
    : PageModel
{
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

    /// <summary>Targeted plans offered on the items of this page, by item id.</summary>
    public IReadOnlyDictionary<long, PlanOffer> Offers { get; private set; } = new Dictionary<long, PlanOffer>();

    [TempData(Key = "LibraryMessage")] public string? Message { get; set; }

    public IReadOnlyList<FilterOption> Categories { get; private set; } = [];
    public IReadOnlyList<FilterOption> Shops { get; private set; } = [];
    public IReadOnlyList<ZoneOption> Zones { get; private set; } = [];
    public IReadOnlyList<LibraryItem> Items { get; private set; } = [];
    public int TotalItems { get; private set; }
    public int PageCount => ItemLibrary.PageCountOf(TotalItems);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        Categories = await library.CategoriesAsync(zh, ct);
        Shops = await library.ShopsAsync(zh, ct);
        Zones = await library.ZonesAsync(webmasterId, ct);

        if (MinPrice is { } low && MaxPrice is { } high && low > high)
        {
            ModelState.AddModelError("maxPrice", localizer["The highest price must not be below the lowest."]);
        }
        // A filter that did not parse must not be silently dropped: the webmaster would read the wrong list.
        if (!ModelState.IsValid) return Page();

        var found = await library.SearchAsync(new LibrarySearch(Query, CategoryId, ShopId, MinPrice, MaxPrice, MinRate, Sort, PageNumber),
            webmasterId, zh, ct);
        (Items, TotalItems, PageNumber, Offers) = (found.Items, found.TotalItems, found.PageNumber, found.Offers);
        return Page();
    }

    /// <summary>Applies to a targeted plan that is open now (<see cref="PlanApplications"/>); a plan not open is not found.</summary>
    public async Task<IActionResult> OnPostApplyAsync(long planId, CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        var outcome = await applications.ApplyAsync(planId, webmasterId, ct);
        if (!outcome.Succeeded) return NotFound();
        Message = localizer["You applied to “{0}”. The seller will decide; once approved, your clicks earn the plan rate.", outcome.PlanName!].Value;
        var back = new RouteValueDictionary { ["area"] = "Webmaster" };
        foreach (var (key, value) in RouteFor(PageNumber)) back[key] = value;
        return RedirectToPage("/Library/Index", back);
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
}
