using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Sites;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Sites;

/// <summary>
/// The site review queue: sites oldest first (the ones waiting longest at the top), with what an admin
/// needs to decide — owner, URL, category, claimed against measured traffic, verification, and every
/// earlier decision. Approve, reject or suspend; each decision writes the site's state and reason, a
/// review row and an audit row together, and the webmaster sees the reason.
/// </summary>
public sealed class IndexModel(SitesForReview queue, CurrentActor me, SiteReviews reviews, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public const int MeasuredDays = SitesForReview.MeasuredDays;
    public const string AllStates = "All";

    [BindProperty(SupportsGet = true, Name = "state")] public string? Filter { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true, Name = Pager.PageParameter)] public int PageNumber { get; set; } = 1;

    [TempData] public string? Message { get; set; }

    public IReadOnlyList<SiteQueuePage.SiteView> Sites { get; private set; } = [];
    public IReadOnlyDictionary<SiteState, int> CountByState { get; private set; } = new Dictionary<SiteState, int>();
    public Pager Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public Task<IActionResult> OnPostApproveAsync(long siteId, string? reason, CancellationToken ct) => DecideAsync(siteId, SiteDecision.Approve, reason, ct);

    public Task<IActionResult> OnPostRejectAsync(long siteId, string? reason, CancellationToken ct) => DecideAsync(siteId, SiteDecision.Reject, reason, ct);

    public Task<IActionResult> OnPostSuspendAsync(long siteId, string? reason, CancellationToken ct) => DecideAsync(siteId, SiteDecision.Suspend, reason, ct);

    private async Task<IActionResult> DecideAsync(long siteId, SiteDecision decision, string? reason, CancellationToken ct)
    {
        var outcome = await reviews.DecideAsync(new SiteDecisionRequest(siteId, decision, reason, me.UserId), ct);
        if (outcome.Refusal == SiteDecisionRefusal.NoSuchSite) return NotFound();
        if (!outcome.Succeeded) return await RefuseAsync(Refusal(decision, outcome), ct);
        var name = outcome.Site!.Name;
        Message = outcome.To switch
        {
            SiteState.Approved => localizer["“{0}” is approved: its links earn from now on.", name],
            SiteState.Rejected => localizer["“{0}” is rejected; the webmaster sees your reason.", name],
            _ => localizer["“{0}” is suspended: its clicks no longer earn.", name],
        };
        return RedirectToPage(new { state = Filter, q = Search, p = PageNumber });
    }

    private string Refusal(SiteDecision decision, SiteDecisionOutcome outcome) => (outcome.Refusal, decision, outcome.Site) switch
    {
        (SiteDecisionRefusal.ReasonRequired, SiteDecision.Reject, _) => localizer["Give the webmaster a reason for the rejection."],
        (SiteDecisionRefusal.ReasonRequired, _, _) => localizer["Give the webmaster a reason for the suspension."],
        (SiteDecisionRefusal.ReasonTooLong, _, _) => localizer["The reason can be at most {0} characters.", SiteReviews.MaxReasonLength],
        (_, SiteDecision.Approve, { State: SiteState.Approved } site) => localizer["“{0}” is already approved.", site.Name],
        (_, SiteDecision.Approve, { VerifiedAt: null } site) => localizer["“{0}” has not proved ownership yet: approve it once it is verified.", site.Name],
        (_, SiteDecision.Reject, { } site) => localizer["Only a site waiting for review can be rejected; “{0}” is {1}.", site.Name, StateLabel(site.State)],
        (_, SiteDecision.Suspend, { } site) => localizer["Only an approved site can be suspended; “{0}” is {1}.", site.Name, StateLabel(site.State)],
        (_, _, { } site) => localizer["“{0}” cannot be approved while it is {1}.", site.Name, StateLabel(site.State)],
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Refusal, "Not a refusal"),
    };

    // The state inside a sentence: the same words as the state badges, in lower case where the language has case.
    private string StateLabel(SiteState state) => (state switch
    {
        SiteState.Pending => localizer["Pending review"],
        SiteState.Approved => localizer["Approved"],
        SiteState.Rejected => localizer["Rejected"],
        _ => localizer["Suspended"],
    }).Value.ToLower(System.Globalization.CultureInfo.CurrentUICulture);

    private async Task<IActionResult> RefuseAsync(string message, CancellationToken ct)
    {
        ModelState.AddModelError("", message);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Filter ??= nameof(SiteState.Pending);
        SiteState? state = Enum.GetNames<SiteState>().Contains(Filter) ? Enum.Parse<SiteState>(Filter) : null;
        if (state is null) Filter = AllStates;
        var page = await queue.ReadAsync(new SiteQueueRequest(state, Search, PageNumber), ct);
        Sites = page.Sites;
        CountByState = page.CountByState;
        Pager = new Pager(PageNumber, SitesForReview.PageSize, page.Total, "/Admin/Sites",
            new Dictionary<string, string?> { ["state"] = Filter, ["q"] = Search });
    }
}
