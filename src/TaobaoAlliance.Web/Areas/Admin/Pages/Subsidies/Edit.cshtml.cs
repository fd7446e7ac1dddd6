using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Subsidies;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Subsidies;

/// <summary>
/// Creates a subsidy programme (no id) or edits one that has not started: name, bonus (% of the webmaster's commission),
/// period in China time, optional category, cap in yuan. A refused form changes nothing and says why, field by field.
/// </summary>
public sealed class EditModel(SubsidyProgrammes programmes, AllianceDbContext db, CurrentActor me, TimeProvider clock, IStringLocalizer<SharedResource> localizer)
    : PageModel
{
    public sealed class ProgrammeInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(100, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Programme name")]
        public string Name { get; set; } = "";

        [Required(ErrorMessage = "{0} is required.")]
        [Range(0.01d, 100d, ErrorMessage = "{0} must be between {1} and {2}.")]
        [Display(Name = "Bonus (% of the webmaster's commission)")]
        public decimal? BonusPercent { get; set; }

        [Required(ErrorMessage = "{0} is required.")]
        [Display(Name = "Starts (China time)")]
        public string? StartsAt { get; set; }

        [Required(ErrorMessage = "{0} is required.")]
        [Display(Name = "Ends (China time)")]
        public string? EndsAt { get; set; }

        [Display(Name = "Category")]
        public int? CategoryId { get; set; }

        [Required(ErrorMessage = "{0} is required.")]
        [Range(0.01d, 100_000_000d, ErrorMessage = "{0} must be between {1} and {2}.")]
        [Display(Name = "Cap (¥)")]
        public decimal? CapYuan { get; set; }
    }

    public sealed record CategoryOption(int Id, string Name);

    [BindProperty(SupportsGet = true, Name = "id")] public long? Id { get; set; }

    [BindProperty] public ProgrammeInput Input { get; set; } = new();

    public IReadOnlyList<CategoryOption> Categories { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Id is { } id)
        {
            if (await programmes.FindAsync(id, ct) is not { } p) return NotFound();
            if (!p.Editable)
            {
                TempData["Message"] = SubsidyLabels.Refused(p.Status == SubsidyStatus.Ended ? SubsidyRefusal.AlreadyEnded : SubsidyRefusal.AlreadyStarted, localizer);
                return RedirectToPage("/Subsidies/Index");
            }
            Input = new ProgrammeInput
            {
                Name = p.Name, BonusPercent = p.Bonus.Percent, StartsAt = ChinaTime.ToLocalInput(p.StartsAt), EndsAt = ChinaTime.ToLocalInput(p.EndsAt),
                CategoryId = p.CategoryId, CapYuan = p.Cap.Yuan,
            };
            return Page();
        }
        var now = clock.GetUtcNow();
        Input.StartsAt = ChinaTime.ToLocalInput(now);
        Input.EndsAt = ChinaTime.ToLocalInput(now.AddDays(30));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var startsAt = ChinaTime.ParseLocalInput(Input.StartsAt);
        if (startsAt is null && !string.IsNullOrWhiteSpace(Input.StartsAt)) ModelState.AddModelError("Input.StartsAt", localizer["Enter the start as a date and time."]);
        var endsAt = ChinaTime.ParseLocalInput(Input.EndsAt);
        if (endsAt is null && !string.IsNullOrWhiteSpace(Input.EndsAt)) ModelState.AddModelError("Input.EndsAt", localizer["Enter the end as a date and time."]);
        if (Input.BonusPercent is { } bonus && decimal.Round(bonus, 2) != bonus) ModelState.AddModelError("Input.BonusPercent", localizer["Enter the bonus with at most two decimals."]);
        if (Input.CapYuan is { } cap && decimal.Round(cap, 2) != cap) ModelState.AddModelError("Input.CapYuan", localizer["Enter the cap in yuan with at most two decimals."]);
        if (!ModelState.IsValid) return Page();

        var request = new SubsidyRequest(me.UserId, Input.Name, Rate.FromPercent(Input.BonusPercent!.Value), startsAt!.Value, endsAt!.Value, Input.CategoryId,
            Money.FromYuan(Input.CapYuan!.Value));
        var outcome = await programmes.SaveAsync(Id, request, ct);
        if (outcome.Refusals.Contains(SubsidyRefusal.NoSuchProgramme)) return NotFound();
        if (!outcome.Succeeded)
        {
            foreach (var refusal in outcome.Refusals) ModelState.AddModelError(SubsidyLabels.Field(refusal), SubsidyLabels.Refused(refusal, localizer));
            return Page();
        }
        TempData["Message"] = (Id is null ? localizer["Subsidy programme “{0}” created.", Input.Name.Trim()] : localizer["Subsidy programme “{0}” saved.", Input.Name.Trim()]).Value;
        return RedirectToPage("/Subsidies/Index");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        Categories = await db.Categories.AsNoTracking().OrderBy(c => c.Id).Select(c => new CategoryOption(c.Id, zh ? c.NameZh : c.NameEn)).ToListAsync(ct);
    }
}
