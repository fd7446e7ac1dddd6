using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Shops;

/// <summary>The seller's shops with their item counts and general rates; a seller without a shop is shown the way to create one.</summary>
public sealed class IndexModel(AllianceDbContext db, CurrentActor me) : PageModel
{
    public sealed record ShopRow(long Id, string Slug, string Name, string OtherName, int Items, int Listed, Rate GeneralRate);

    public IReadOnlyList<ShopRow> Shops { get; private set; } = [];

    [TempData(Key = CatalogMessages.Key)] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        var rows = await db.Shops.AsNoTracking().Where(s => s.SellerId == sellerId).OrderBy(s => s.Id)
            .Select(s => new { s.Id, s.Slug, s.NameZh, s.NameEn, Items = s.Items.Count, Listed = s.Items.Count(i => i.IsOnSale), s.GeneralRateBp })
            .ToListAsync(ct);
        Shops = [.. rows.Select(s => new ShopRow(s.Id, s.Slug, zh ? s.NameZh : s.NameEn, zh ? s.NameEn : s.NameZh, s.Items, s.Listed, new Rate(s.GeneralRateBp)))];
        return Page();
    }
}
