using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Subsidies;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Subsidies;

/// <summary>The subsidy programmes with their spend against the cap as it stands now; end one (audited).</summary>
public sealed class IndexModel(SubsidyProgrammes programmes, CurrentActor me, IStringLocalizer<SharedResource> localizer) : PageModel
{
    [TempData] public string? Message { get; set; }

    public IReadOnlyList<SubsidyView> Programmes { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Programmes = await programmes.ListAsync(ct);

    public async Task<IActionResult> OnPostEndAsync(long id, CancellationToken ct)
    {
        var outcome = await programmes.EndAsync(id, me.UserId, ct);
        if (outcome.Refusals.Contains(SubsidyRefusal.NoSuchProgramme)) return NotFound();
        Message = outcome.Succeeded ? localizer["The programme has ended. Orders paid from now on earn no bonus from it."]
            : SubsidyLabels.Refused(outcome.Refusals[0], localizer);
        return RedirectToPage();
    }
}
