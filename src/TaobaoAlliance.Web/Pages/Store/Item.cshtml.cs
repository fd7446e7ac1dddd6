using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Pages.Store;

/// <summary>The storefront item page: where every ad link lands the shopper.</summary>
public sealed class ItemModel(AllianceDbContext db) : PageModel
{
    public sealed record ItemView(long Id, string Title, string OtherTitle, Money Price, string ShopName, string CategoryName,
        int CategoryId, string ImageUrl, int MonthlySales);

    public ItemView Item { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        var item = await db.Items.AsNoTracking()
            .Where(i => i.Id == id && i.IsListed)
            .Select(i => new ItemView(i.Id,
                zh ? i.TitleZh : i.TitleEn,
                zh ? i.TitleEn : i.TitleZh,
                new Money(i.PriceFen),
                zh ? i.Shop.NameZh : i.Shop.NameEn,
                zh ? i.Category.NameZh : i.Category.NameEn,
                i.CategoryId, i.ImageUrl, i.MonthlySales))
            .SingleOrDefaultAsync(ct);
        if (item is null) return NotFound();
        Item = item;
        return Page();
    }
}
