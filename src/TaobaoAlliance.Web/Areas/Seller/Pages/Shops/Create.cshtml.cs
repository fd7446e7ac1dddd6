using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Npgsql;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Sellers;
using TaobaoAlliance.Web.Sellers.Catalog;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Shops;

/// <summary>
/// Creates a shop: a unique slug, both names, a description and the general rate, with the first line of
/// the shop's rate history written in the same transaction.
/// </summary>
public sealed class CreateModel(AllianceDbContext db, CurrentActor me, TimeProvider clock, IStringLocalizer<SharedResource> localizer, ILogger<CreateModel> logger) : PageModel
{
    [BindProperty] public NewShopInput Input { get; set; } = new();

    [TempData(Key = CatalogMessages.Key)] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await me.SellerIdAsync(ct) is null ? NotFound() : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        var slug = Input.Slug?.Trim() ?? "";
        if (slug.Length > 0 && !CatalogRules.IsValidSlug(slug))
        {
            ModelState.AddModelError("Input.Slug", localizer["Use lowercase letters, digits and single hyphens (e.g. hangzhou-tea-house)."]);
        }
        else if (slug.Length > 0 && await db.Shops.AnyAsync(s => s.Slug == slug, ct))
        {
            ModelState.AddModelError("Input.Slug", localizer["This address name is taken. Choose another."]);
        }
        var rate = Input.CheckRate(ModelState, localizer);
        if (!ModelState.IsValid || rate is null) return Page();

        var now = clock.GetUtcNow();
        var shop = new Shop
        {
            SellerId = sellerId,
            Slug = slug,
            NameZh = Input.NameZh.Trim(),
            NameEn = Input.NameEn.Trim(),
            Description = Input.Description?.Trim() ?? "",
            GeneralRateBp = rate.Value.BasisPoints,
            CreatedAt = now,
        };
        db.Shops.Add(shop);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            db.CommissionRateChanges.Add(CatalogRules.RateChange(shop.Id, null, shop.GeneralRateBp, now, User.UserId()));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another seller took the slug between the check and the insert.
            ModelState.AddModelError("Input.Slug", localizer["This address name is taken. Choose another."]);
            return Page();
        }

        logger.LogInformation("Seller {SellerId} created shop {ShopId} ({Slug})", sellerId, shop.Id, shop.Slug);
        Message = localizer["Shop created. Now add your items, one by one or from a CSV file."].Value;
        return RedirectToPage("/Shops/Items", new { area = "Seller", shopId = shop.Id });
    }
}
