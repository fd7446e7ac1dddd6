using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Shops;

/// <summary>
/// Imports items from a CSV file (format: <see cref="ItemCsv"/>). Every line is checked first; one bad
/// line imports nothing and the page lists every bad line with its reasons. A good file is inserted in
/// one transaction. Also serves the template to fill in.
/// </summary>
[RequestSizeLimit(MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes)]
public sealed class ImportModel(AllianceDbContext db, CurrentActor me, ItemImporter importer, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public const long MaxFileBytes = 2 * 1024 * 1024;

    /// <summary>Room above the file limit for the form around it, so a slightly large file gets a message rather than a bare 413.</summary>
    private const long MaxRequestBytes = 2 * MaxFileBytes;

    [BindProperty] public IFormFile? Upload { get; set; }

    public long ShopId { get; private set; }
    public string ShopName { get; private set; } = "";
    public string? FileName { get; private set; }
    public IReadOnlyList<ItemCsvError> Errors { get; private set; } = [];
    public IReadOnlyList<string> CategorySlugs { get; private set; } = [];

    [TempData(Key = CatalogMessages.Key)] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(long shopId, CancellationToken ct)
    {
        if (await me.OwnedShopAsync(shopId, ct) is not { } shop) return NotFound();
        await LoadAsync(shop, ct);
        return Page();
    }

    /// <summary>The header and two example lines, to fill in with a spreadsheet.</summary>
    public async Task<IActionResult> OnGetTemplateAsync(long shopId, CancellationToken ct)
    {
        if (await me.OwnedShopAsync(shopId, ct) is null) return NotFound();
        var stream = new MemoryStream();
        await ItemCsv.WriteTemplateAsync(stream, ct);
        stream.Position = 0;
        return File(stream, "text/csv; charset=utf-8", "items-template.csv");
    }

    public async Task<IActionResult> OnPostAsync(long shopId, CancellationToken ct)
    {
        if (await me.OwnedShopAsync(shopId, ct) is not { } shop) return NotFound();
        await LoadAsync(shop, ct);
        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError(nameof(Upload), localizer["Choose a CSV file to import."]);
            return Page();
        }
        FileName = Path.GetFileName(Upload.FileName);
        if (Upload.Length > MaxFileBytes)
        {
            ModelState.AddModelError(nameof(Upload), localizer["The file is larger than 2 MB. Split it into several files."]);
            return Page();
        }

        ItemImportOutcome outcome;
        await using (var stream = Upload.OpenReadStream())
        {
            outcome = await importer.ImportAsync(shop.Id, stream, me.UserId, ct);
        }
        if (!outcome.Succeeded)
        {
            Errors = outcome.Errors;
            return Page();
        }

        Message = localizer["Imported {0} items from {1}.", outcome.Imported.ToString("N0", CultureInfo.InvariantCulture), FileName].Value;
        return RedirectToPage("/Shops/Items", new { area = "Seller", shopId = shop.Id });
    }

    /// <summary>A problem of a line in the page's language.</summary>
    public string Describe(ItemCsvProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return localizer[problem.Message, [.. problem.Arguments]].Value;
    }

    private async Task LoadAsync(Shop shop, CancellationToken ct)
    {
        ShopId = shop.Id;
        ShopName = CultureInfo.CurrentUICulture.IsChinese() ? shop.NameZh : shop.NameEn;
        CategorySlugs = await db.Categories.AsNoTracking().Offered()
            .Select(c => c.Slug + " (" + (CultureInfo.CurrentUICulture.IsChinese() ? c.NameZh : c.NameEn) + ")").ToListAsync(ct);
    }
}
