using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Shops;

/// <summary>
/// Every item of one of the seller's shops as CSV in the import's format (so an export can be edited and
/// imported again), UTF-8 with a BOM so that Excel shows the Chinese titles.
/// </summary>
public sealed class ExportModel(AllianceDbContext db, CurrentActor me) : PageModel
{
    public async Task<IActionResult> OnGetAsync(long shopId, CancellationToken ct)
    {
        if (await me.OwnedShopAsync(shopId, ct) is not { } shop) return NotFound();
        var rows = db.Items.AsNoTracking().Where(i => i.ShopId == shop.Id).OrderBy(i => i.Id)
            .Select(i => new ItemCsvExportRow(i.TitleZh, i.TitleEn, i.Category.Slug, i.PriceFen, i.CommissionRateBp, i.ImageUrl))
            .AsAsyncEnumerable();
        // Written to memory first (a shop's file is a few MB at most): the response body allows no synchronous writes,
        // and a failure half-way must be an error page, not a truncated file.
        var file = new MemoryStream();
        await ItemCsv.WriteAsync(file, rows, ct);
        file.Position = 0;
        return File(file, "text/csv; charset=utf-8", $"{shop.Slug}-items.csv");
    }
}
