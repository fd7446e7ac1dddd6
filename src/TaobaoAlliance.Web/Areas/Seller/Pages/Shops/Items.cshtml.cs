using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Shops;

/// <summary>Which items the list shows.</summary>
public enum ItemListing { All, Listed, Delisted }

/// <summary>
/// The items of one of the seller's shops: search by title (trigram-indexed ILIKE, which works for
/// Chinese), a listed/delisted filter, paging, and delist/relist buttons. Another seller's shop is not found.
/// </summary>
public sealed class ItemsModel(AllianceDbContext db, CatalogItems catalog, CurrentActor me, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "q")]
    [StringLength(100, ErrorMessage = "{0} can be at most {1} characters.")]
    [Display(Name = "Title")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "show")] public ItemListing Show { get; set; } = ItemListing.All;

    [BindProperty(SupportsGet = true, Name = Pager.PageParameter)] public int PageNumber { get; set; } = 1;

    /// <summary>An item of the list; <paramref name="PlatformDelisting"/> is the platform's reason in words when an admin delisted it.</summary>
    public sealed record ItemRow(long Id, string Title, string OtherTitle, string Category, Money Price, Rate? OwnRate, bool IsListed, int MonthlySales, string ImageUrl,
        string? PlatformDelisting = null);

    public long ShopId { get; private set; }
    public string ShopName { get; private set; } = "";
    public Rate ShopRate { get; private set; }
    public int TotalInShop { get; private set; }
    public IReadOnlyList<ItemRow> Items { get; private set; } = [];
    public Pager Pager { get; private set; } = null!;

    [TempData(Key = CatalogMessages.Key)] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(long shopId, CancellationToken ct)
    {
        if (await me.OwnedShopAsync(shopId, ct) is not { } shop) return NotFound();
        await LoadAsync(shop, ct);
        return Page();
    }

    public Task<IActionResult> OnPostDelistAsync(long shopId, long itemId, CancellationToken ct) => SetListedAsync(shopId, itemId, false, ct);

    public Task<IActionResult> OnPostRelistAsync(long shopId, long itemId, CancellationToken ct) => SetListedAsync(shopId, itemId, true, ct);

    private async Task<IActionResult> SetListedAsync(long shopId, long itemId, bool listed, CancellationToken ct)
    {
        if (await me.OwnedShopAsync(shopId, ct) is null) return NotFound();
        if (await catalog.SetListedAsync(shopId, itemId, listed, ct) is not { } item) return NotFound();
        var title = CultureInfo.CurrentUICulture.IsChinese() ? item.TitleZh : item.TitleEn;
        if (listed && item.DelistedAt is not null)
        {
            ModelState.AddModelError("", localizer["“{0}” was delisted by the platform: only an admin can relist it.", title]);
            await LoadAsync((await me.OwnedShopAsync(shopId, ct))!, ct);
            return Page();
        }
        Message = (listed ? localizer["“{0}” is listed again.", title] : localizer["“{0}” is delisted: it no longer shows in the store or the item library.", title]).Value;
        return Redirect(ListUrl(shopId));
    }

    /// <summary>This list's address with its search, filter and page, for coming back after a button.</summary>
    public string ListUrl(long shopId, int? page = null) =>
        new Pager(page ?? PageNumber, PageSize, 0, Url.Page("/Shops/Items", new { area = "Seller", shopId })!, Filters()).Href(page ?? PageNumber);

    /// <summary>Where a delist/relist button posts: the handler, with the list's search, filter and page kept for the redirect.</summary>
    public string HandlerUrl(string handler)
    {
        var values = new RouteValueDictionary { ["area"] = "Seller", ["shopId"] = ShopId };
        foreach (var (key, value) in Filters()) if (value is not null) values[key] = value;
        if (PageNumber > 1) values[Pager.PageParameter] = PageNumber;
        return Url.Page("/Shops/Items", handler, values)!;
    }

    private Dictionary<string, string?> Filters() => new()
    {
        ["q"] = string.IsNullOrWhiteSpace(Query) ? null : Query.Trim(),
        ["show"] = Show == ItemListing.All ? null : Show.ToString(),
    };

    private async Task LoadAsync(Shop shop, CancellationToken ct)
    {
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        ShopId = shop.Id;
        ShopName = zh ? shop.NameZh : shop.NameEn;
        ShopRate = new Rate(shop.GeneralRateBp);
        TotalInShop = await db.Items.CountAsync(i => i.ShopId == shop.Id, ct);

        var items = db.Items.AsNoTracking().Where(i => i.ShopId == shop.Id);
        if (!ModelState.IsValid) Query = null; // an over-long search is reported, and the whole list shown
        if (!string.IsNullOrWhiteSpace(Query))
        {
            // ILIKE '%…%' is served by the gin_trgm_ops indexes on both titles and needs no word segmentation for Chinese.
            var pattern = SearchPattern.Containing(Query);
            items = items.Where(i => EF.Functions.ILike(i.TitleZh, pattern, "\\") || EF.Functions.ILike(i.TitleEn, pattern, "\\"));
        }
        items = Show switch
        {
            ItemListing.Listed => items.Where(i => i.IsOnSale),
            ItemListing.Delisted => items.Where(i => !i.IsOnSale),
            _ => items,
        };
        var total = await items.CountAsync(ct);
        Pager = new Pager(PageNumber, PageSize, total, Url.Page("/Shops/Items", new { area = "Seller", shopId = shop.Id })!, Filters());
        PageNumber = Pager.Current;
        var rows = await items.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id).Skip(Pager.Skip).Take(PageSize)
            .Select(i => new
            {
                i.Id, i.TitleZh, i.TitleEn, CategoryZh = i.Category.NameZh, CategoryEn = i.Category.NameEn,
                i.PriceFen, i.CommissionRateBp, i.IsListed, i.MonthlySales, i.ImageUrl, i.DelistedAt, i.DelistReason, i.DelistNote,
            })
            .ToListAsync(ct);
        Items = [.. rows.Select(r => new ItemRow(r.Id, zh ? r.TitleZh : r.TitleEn, zh ? r.TitleEn : r.TitleZh, zh ? r.CategoryZh : r.CategoryEn,
            new Money(r.PriceFen), r.CommissionRateBp is { } bp ? new Rate(bp) : null, r.IsListed, r.MonthlySales, r.ImageUrl,
            r.DelistedAt is null ? null : CatalogAdminLabels.ReasonWithNote(ItemDelisting.ReasonOf(r.DelistReason), r.DelistNote, localizer)))];
    }
}
