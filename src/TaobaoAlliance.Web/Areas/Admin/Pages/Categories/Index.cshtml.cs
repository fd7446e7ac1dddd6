using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Categories;

/// <summary>
/// The categories with their item counts, in menu order: create one, move one up or down, retire or restore it, and
/// delete one nothing uses (a category holding items is refused, with its count). Renaming is on the Edit page.
/// </summary>
public sealed class IndexModel(CategoryAdmin categories, CurrentActor me, IStringLocalizer<SharedResource> localizer) : PageModel
{
    /// <summary>A new category as typed (the same fields, with the same checks, as the use case's).</summary>
    public sealed class CategoryInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(CategoryAdmin.SlugMaxLength, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Address name (slug)")]
        public string? Slug { get; set; }

        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(CategoryAdmin.NameMaxLength, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "English name")]
        public string? NameEn { get; set; }

        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(CategoryAdmin.NameMaxLength, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Chinese name")]
        public string? NameZh { get; set; }
    }

    [BindProperty] public CategoryInput Input { get; set; } = new();

    [TempData] public string? Message { get; set; }

    /// <summary>A refused button's reason, shown as an error (a success is <see cref="Message"/>).</summary>
    [TempData] public string? Problem { get; set; }

    public IReadOnlyList<CategoryView> Categories { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Categories = await categories.ListAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            var outcome = await categories.CreateAsync(new CategoryRequest(me.UserId, Input.Slug, Input.NameEn, Input.NameZh), ct);
            if (outcome.Succeeded)
            {
                Message = localizer["Category “{0}” created. It is offered for new items and in the storefront menu.", Input.NameEn!.Trim()];
                return RedirectToPage();
            }
            foreach (var refusal in outcome.Refusals) ModelState.AddModelError(CatalogAdminLabels.Field(refusal), CatalogAdminLabels.Refused(refusal, outcome.Items, localizer));
        }
        Categories = await categories.ListAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostUpAsync(int id, CancellationToken ct) => AnswerAsync(categories.MoveAsync(id, up: true, me.UserId, ct), null);

    public Task<IActionResult> OnPostDownAsync(int id, CancellationToken ct) => AnswerAsync(categories.MoveAsync(id, up: false, me.UserId, ct), null);

    public Task<IActionResult> OnPostRetireAsync(int id, CancellationToken ct) =>
        AnswerAsync(categories.RetireAsync(id, retire: true, me.UserId, ct), "The category is retired: it is no longer offered for new items or sites nor shown in the storefront menu. Its items stay listed.");

    public Task<IActionResult> OnPostRestoreAsync(int id, CancellationToken ct) =>
        AnswerAsync(categories.RetireAsync(id, retire: false, me.UserId, ct), "The category is offered again.");

    public Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct) => AnswerAsync(categories.DeleteAsync(id, me.UserId, ct), "The category is deleted.");

    private async Task<IActionResult> AnswerAsync(Task<CategoryOutcome> change, string? done)
    {
        var outcome = await change;
        if (outcome.Refusals.Contains(CategoryRefusal.NoSuchCategory)) return NotFound();
        if (outcome.Succeeded)
        {
            if (done is not null) Message = localizer[done];
        }
        else
        {
            Problem = CatalogAdminLabels.Refused(outcome.Refusals[0], outcome.Items, localizer);
        }
        return RedirectToPage();
    }
}
