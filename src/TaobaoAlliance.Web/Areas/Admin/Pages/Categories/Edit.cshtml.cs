using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Categories;

/// <summary>Renames a category in both languages (its address name stays: CSV files name the category by it).</summary>
public sealed class EditModel(CategoryAdmin categories, CurrentActor me, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public sealed class NamesInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(CategoryAdmin.NameMaxLength, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "English name")]
        public string? NameEn { get; set; }

        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(CategoryAdmin.NameMaxLength, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Chinese name")]
        public string? NameZh { get; set; }
    }

    [BindProperty] public NamesInput Input { get; set; } = new();

    public int Id { get; private set; }
    public string Slug { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await categories.FindAsync(id, ct) is not { } category) return NotFound();
        (Id, Slug) = (category.Id, category.Slug);
        Input = new NamesInput { NameEn = category.NameEn, NameZh = category.NameZh };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (await categories.FindAsync(id, ct) is not { } category) return NotFound();
        (Id, Slug) = (category.Id, category.Slug);
        if (!ModelState.IsValid) return Page();
        var outcome = await categories.RenameAsync(id, new CategoryRequest(me.UserId, null, Input.NameEn, Input.NameZh), ct);
        if (outcome.Refusals.Contains(CategoryRefusal.NoSuchCategory)) return NotFound();
        if (!outcome.Succeeded)
        {
            foreach (var refusal in outcome.Refusals) ModelState.AddModelError(CatalogAdminLabels.Field(refusal), CatalogAdminLabels.Refused(refusal, 0, localizer));
            return Page();
        }
        TempData["Message"] = localizer["Category renamed to “{0}” / “{1}”.", Input.NameEn!.Trim(), Input.NameZh!.Trim()].Value;
        return RedirectToPage("/Categories/Index");
    }
}
