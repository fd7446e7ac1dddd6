using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Data;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.ApiSecrets;

/// <summary>
/// Orders API secrets: which of the seller's shops have one, and creating or rotating it. A new secret
/// is shown once, on the answer to the POST; afterwards the page only says whether one is set. Rotating
/// replaces the stored key, so requests signed with the old one are refused from that moment.
/// </summary>
public sealed class IndexModel(AllianceDbContext db, ShopApiSecrets secrets, CurrentActor me) : PageModel
{
    public sealed record ShopView(long Id, string NameZh, string NameEn, bool HasSecret);

    /// <summary>The secret just created, shown on this response only.</summary>
    public sealed record NewSecret(long ShopId, string ShopName, string Secret, bool Rotated);

    public IReadOnlyList<ShopView> Shops { get; private set; } = [];
    public NewSecret? Created { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        await LoadAsync(sellerId, ct);
        return Page();
    }

    /// <summary>Creates the shop's first secret or replaces the one it has.</summary>
    public async Task<IActionResult> OnPostSecretAsync(long shopId, CancellationToken ct)
    {
        if (await me.OwnedShopAsync(shopId, ct) is not { } shop) return NotFound();
        var secret = await secrets.CreateOrRotateAsync(shop.Id, me.UserId, ct);
        // The secret is in this response only: no cache may keep it.
        Response.Headers.CacheControl = "no-store";
        Created = new(shop.Id, ShopName(shop.NameZh, shop.NameEn), secret.Secret, secret.Rotated);
        await LoadAsync(shop.SellerId, ct);
        return Page();
    }

    public static string ShopName(string zh, string en) =>
        CultureInfo.CurrentUICulture.IsChinese() || en.Length == 0 ? zh : en;

    private async Task LoadAsync(long sellerId, CancellationToken ct) =>
        Shops = await db.Shops.AsNoTracking().Where(s => s.SellerId == sellerId).OrderBy(s => s.Id)
            .Select(s => new ShopView(s.Id, s.NameZh, s.NameEn, s.OrdersApiSecret != null))
            .ToListAsync(ct);
}
