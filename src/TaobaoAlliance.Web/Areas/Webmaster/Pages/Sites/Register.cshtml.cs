using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Sites;
using TaobaoAlliance.Data;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Application.Catalog;

namespace TaobaoAlliance.Web.Areas.Webmaster.Pages.Sites;

/// <summary>
/// Registers a webmaster's site (<see cref="SiteRegistration"/>): the form's fields, then the site's
/// details page, where the webmaster proves ownership before an admin's review.
/// </summary>
public sealed class RegisterModel(
    AllianceDbContext db,
    SiteRegistration registration,
    CurrentActor me,
    IStringLocalizer<SharedResource> localizer) : PageModel
{
    public sealed class SiteInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(100, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Site name")]
        public string Name { get; set; } = "";

        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(500, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Home page address")]
        public string Url { get; set; } = "";

        [Required(ErrorMessage = "Choose a category.")]
        [Display(Name = "Category")]
        public int? CategoryId { get; set; }

        [Required(ErrorMessage = "{0} is required.")]
        [Range(0, 100_000_000, ErrorMessage = "{0} must be between {1} and {2}.")]
        [Display(Name = "Daily unique visitors")]
        public int? ClaimedDailyVisitors { get; set; }

        [StringLength(2000, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Description")]
        public string? Description { get; set; }
    }

    public sealed record CategoryOption(int Id, string Name);

    [BindProperty] public SiteInput Input { get; set; } = new();

    public IReadOnlyList<CategoryOption> Categories { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is null) return NotFound();
        await LoadCategoriesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        await LoadCategoriesAsync(ct);

        var request = new SiteRegistrationRequest(webmasterId, me.UserId, Input.Name, Input.Url, Input.CategoryId, Input.ClaimedDailyVisitors,
            Input.Description);
        // Every problem at once, next to the form's own messages.
        AddProblems(await registration.ProblemsAsync(request, ct));
        if (!ModelState.IsValid) return Page();

        var outcome = await registration.RegisterAsync(request, ct);
        if (!outcome.Succeeded)
        {
            AddProblems(outcome.Problems);
            return Page();
        }
        TempData["SiteMessage"] = localizer["Site registered. Now prove that you own it: add the tag below to your home page and press “Verify now”."].Value;
        return RedirectToPage("/Sites/Details", new { area = "Webmaster", id = outcome.Site!.Id });
    }

    private void AddProblems(IEnumerable<SiteRegistrationProblem> problems)
    {
        foreach (var problem in problems)
        {
            var (key, message) = problem switch
            {
                SiteRegistrationProblem.AddressNotHttp =>
                    ("Input.Url", localizer["Enter the full address of your home page, starting with http:// or https://."].Value),
                SiteRegistrationProblem.AddressHasUserInfo => ("Input.Url", localizer["The address must not contain a user name or password."].Value),
                SiteRegistrationProblem.UnknownCategory => ("Input.CategoryId", localizer["Choose a category."].Value),
                SiteRegistrationProblem.AlreadyRegistered => ("Input.Url", localizer["You have already registered this address."].Value),
                // Too long: the form's [StringLength] has said so.
                _ => ("Input.Url", null),
            };
            if (message is not null) ModelState.AddModelError(key, message);
        }
    }

    private async Task LoadCategoriesAsync(CancellationToken ct)
    {
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        Categories = await db.Categories.AsNoTracking().Offered()
            .Select(c => new CategoryOption(c.Id, zh ? c.NameZh : c.NameEn)).ToListAsync(ct);
    }
}
