using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Catalog;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Shops;

/// <summary>
/// Creates an item in one of the seller's shops, or edits one (with an id). A new or changed item rate
/// is written with a line of rate history in the same transaction. Another seller's shop or item is not found.
/// </summary>
public sealed class ItemEditorModel(AllianceDbContext db, CatalogItems items, CurrentActor me, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public sealed class ItemInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(CatalogRules.TitleZhMaxLength, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Title (Chinese)")]
        public string TitleZh { get; set; } = "";

        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(CatalogRules.TitleEnMaxLength, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Title (English)")]
        public string TitleEn { get; set; } = "";

        [Required(ErrorMessage = "Choose a category.")]
        [Display(Name = "Category")]
        public int? CategoryId { get; set; }

        [Required(ErrorMessage = "{0} is required.")]
        [Range(0d, 10_000_000d, ErrorMessage = "{0} must be between {1} and {2}.")]
        [Display(Name = "Price (¥)")]
        public decimal? PriceYuan { get; set; }

        [Range(0d, 90d, ErrorMessage = "{0} must be between {1} and {2}.")]
        [Display(Name = "Item commission rate (%)")]
        public decimal? RatePercent { get; set; }

        [StringLength(CatalogRules.ImageUrlMaxLength, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Image address")]
        public string? ImageUrl { get; set; }

        [StringLength(ExternalStores.MaxUrlLength, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Product page on your store")]
        public string? ExternalUrl { get; set; }

        [Display(Name = "Listed (shown in the store and the item library)")]
        public bool IsListed { get; set; } = true;
    }

    public sealed record CategoryOption(int Id, string Name);

    [BindProperty] public ItemInput Input { get; set; } = new();

    public long ShopId { get; private set; }
    public long? ItemId { get; private set; }
    public string ShopName { get; private set; } = "";
    public Rate ShopRate { get; private set; }

    /// <summary>The shop's registered store host; null when it has none (then items cannot have a product page elsewhere).</summary>
    public string? StoreHost { get; private set; }
    public IReadOnlyList<CategoryOption> Categories { get; private set; } = [];

    /// <summary>The platform's reason in words when an admin delisted the item: it stays off sale whatever "Listed" says.</summary>
    public string? PlatformDelisting { get; private set; }

    [TempData(Key = CatalogMessages.Key)] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(long shopId, long? itemId, CancellationToken ct)
    {
        if (await me.OwnedShopAsync(shopId, ct) is not { } shop) return NotFound();
        if (itemId is { } id)
        {
            if (await items.FindAsync(shopId, id, ct) is not { } item) return NotFound();
            Input = new ItemInput
            {
                TitleZh = item.TitleZh, TitleEn = item.TitleEn, CategoryId = item.CategoryId, PriceYuan = item.PriceFen / 100m,
                RatePercent = item.CommissionRateBp / 100m, ImageUrl = item.ImageUrl, IsListed = item.IsListed,
                ExternalUrl = item.ExternalUrl,
            };
        }
        await LoadAsync(shop, itemId, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long shopId, long? itemId, CancellationToken ct)
    {
        if (await me.OwnedShopAsync(shopId, ct) is not { } shop) return NotFound();
        if (itemId is { } id && await items.FindAsync(shopId, id, ct) is null) return NotFound();
        await LoadAsync(shop, itemId, ct);

        if (Input.CategoryId is { } categoryId && Categories.All(c => c.Id != categoryId))
        {
            ModelState.AddModelError("Input.CategoryId", localizer["Choose a category."]);
        }
        if (Input.PriceYuan is { } yuan && !CatalogRules.IsValidPriceYuan(yuan) && ModelState.GetFieldValidationState("Input.PriceYuan") != ModelValidationState.Invalid)
        {
            ModelState.AddModelError("Input.PriceYuan", localizer["Enter the price in yuan with at most two decimals."]);
        }
        if (Input.RatePercent is { } percent && !CatalogRules.IsValidRatePercent(percent) && ModelState.GetFieldValidationState("Input.RatePercent") != ModelValidationState.Invalid)
        {
            ModelState.AddModelError("Input.RatePercent", localizer["Enter a rate between 0 and 90 % with at most two decimals."]);
        }
        var imageUrl = Input.ImageUrl?.Trim() ?? "";
        if (imageUrl.Length > 0 && !CatalogRules.IsValidImageUrl(imageUrl))
        {
            ModelState.AddModelError("Input.ImageUrl", localizer["The image address must start with http://, https:// or / (at most {0} characters).", CatalogRules.ImageUrlMaxLength]);
        }
        string? externalUrl = null;
        if (!string.IsNullOrWhiteSpace(Input.ExternalUrl))
        {
            if (StoreHost is null)
            {
                ModelState.AddModelError("Input.ExternalUrl", localizer["Register your store's host on the shop page first."]);
            }
            else if (!ExternalStores.TryNormalizeUrl(Input.ExternalUrl, StoreHost, out var normal))
            {
                ModelState.AddModelError("Input.ExternalUrl", localizer["The product page must be an http or https address on {0}.", StoreHost]);
            }
            else
            {
                externalUrl = normal;
            }
        }
        if (!ModelState.IsValid) return Page();

        var rate = Input.RatePercent is { } p ? Rate.FromPercent(p) : (Rate?)null;
        var saved = await items.SaveAsync(itemId, new ItemRequest(shop.Id, me.UserId, Input.TitleZh, Input.TitleEn, Input.CategoryId!.Value,
            Money.FromYuan(Input.PriceYuan!.Value), rate, imageUrl, Input.IsListed, externalUrl), ct);
        if (saved is null) return NotFound();
        var (item, creating) = (saved.Item, saved.Created);
        var title = CultureInfo.CurrentUICulture.IsChinese() ? item.TitleZh : item.TitleEn;
        Message = (creating ? localizer["“{0}” added.", title] : localizer["“{0}” saved.", title]).Value;
        return RedirectToPage("/Shops/Items", new { area = "Seller", shopId = shop.Id });
    }

    private async Task LoadAsync(Shop shop, long? itemId, CancellationToken ct)
    {
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        ShopId = shop.Id;
        ItemId = itemId;
        ShopName = zh ? shop.NameZh : shop.NameEn;
        ShopRate = new Rate(shop.GeneralRateBp);
        StoreHost = shop.StoreHost;
        var current = itemId is { } id
            ? await db.Items.Where(i => i.Id == id && i.ShopId == shop.Id).Select(i => new { i.CategoryId, i.DelistedAt, i.DelistReason, i.DelistNote }).SingleOrDefaultAsync(ct)
            : null;
        PlatformDelisting = current?.DelistedAt is null ? null
            : CatalogAdminLabels.ReasonWithNote(ItemDelisting.ReasonOf(current.DelistReason), current.DelistNote, localizer);
        // A retired category is not offered, except to the item already in it.
        Categories = await db.Categories.AsNoTracking().Offered(current?.CategoryId)
            .Select(c => new CategoryOption(c.Id, zh ? c.NameZh : c.NameEn)).ToListAsync(ct);
    }
}
