using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Application.Catalog;

namespace TaobaoAlliance.Web.Pages;

/// <summary>The storefront's home: categories, keyword search and a page of listed items.</summary>
[OutputCache(PolicyName = StorefrontCache.Policy)]
public sealed class IndexModel(AllianceDbContext db) : PageModel
{
    public const int PageSize = 24;

    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }
    [BindProperty(SupportsGet = true, Name = "category")] public int? CategoryId { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Category> Categories { get; private set; } = [];
    public IReadOnlyList<ItemCard> Items { get; private set; } = [];
    public int TotalItems { get; private set; }
    public int PageCount => Math.Max(1, (TotalItems + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Max(1, PageNumber);
        Categories = await db.Categories.AsNoTracking().Offered().ToListAsync(ct);

        var items = db.Items.AsNoTracking().Where(i => i.IsOnSale);
        if (CategoryId is { } categoryId) items = items.Where(i => i.CategoryId == categoryId);
        if (!string.IsNullOrWhiteSpace(Query))
        {
            var pattern = "%" + EscapeLike(Query.Trim()) + "%";
            items = items.Where(i => EF.Functions.ILike(i.TitleZh, pattern) || EF.Functions.ILike(i.TitleEn, pattern));
        }
        TotalItems = await items.CountAsync(ct);
        Items = await items.OrderByDescending(i => i.MonthlySales).ThenBy(i => i.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(ItemCard.Projection(CultureInfo.CurrentUICulture))
            .ToListAsync(ct);
    }

    /// <summary>Makes the user's % and _ literal in a LIKE pattern.</summary>
    internal static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
