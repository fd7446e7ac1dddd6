using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Shops;

/// <summary>
/// Creates a shop: a unique slug, both names, a description and the general rate, with the first line of
/// the shop's rate history written in the same transaction.
/// </summary>
public sealed class CreateModel(ShopEditor shops, CurrentActor me, IStringLocalizer<SharedResource> localizer) : PageModel
{
    [BindProperty] public NewShopInput Input { get; set; } = new();

    [TempData(Key = CatalogMessages.Key)] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await me.SellerIdAsync(ct) is null ? NotFound() : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        var rate = Input.CheckRate(ModelState, localizer);
        if (!ModelState.IsValid || rate is null) return Page();

        var outcome = await shops.CreateAsync(new ShopRequest(sellerId, me.UserId, Input.NameZh, Input.NameEn, Input.Description, rate.Value, Input.Slug), ct);
        if (outcome.Shop is not { } shop)
        {
            ModelState.AddModelError("Input.Slug", outcome.Refusal == ShopRefusal.SlugInvalid
                ? localizer["Use lowercase letters, digits and single hyphens (e.g. hangzhou-tea-house)."]
                : localizer["This address name is taken. Choose another."]);
            return Page();
        }
        Message = localizer["Shop created. Now add your items, one by one or from a CSV file."].Value;
        return RedirectToPage("/Shops/Items", new { area = "Seller", shopId = shop.Id });
    }
}
