using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Web.Admin;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Items;

/// <summary>Every shop's items for the admin: search by id, title or shop, filter on sale / delisted by the platform, paged; each opens its page to delist or relist.</summary>
public sealed class IndexModel(ItemDelisting delisting) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    [StringLength(ItemDelisting.QueryMaxLength, ErrorMessage = "{0} can be at most {1} characters.")]
    [Display(Name = "Search")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "show")] public AdminItemFilter Show { get; set; } = AdminItemFilter.All;

    [BindProperty(SupportsGet = true, Name = Pager.PageParameter)] public int PageNumber { get; set; } = 1;

    [TempData] public string? Message { get; set; }

    public IReadOnlyList<AdminItemRow> Items { get; private set; } = [];
    public Pager Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) Query = null; // an over-long search is reported, and the whole list shown
        var found = await delisting.SearchAsync(new AdminItemSearch(Query, Show, PageNumber), ct);
        Pager = new Pager(PageNumber, ItemDelisting.PageSize, found.Total, "/Admin/Items", new Dictionary<string, string?>
        {
            ["q"] = string.IsNullOrWhiteSpace(Query) ? null : Query.Trim(),
            ["show"] = Show == AdminItemFilter.All ? null : Show.ToString(),
        });
        Items = found.Items;
    }
}
