using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Sites;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Sites;

/// <summary>
/// The site review queue: sites oldest first (the ones waiting longest at the top), with what an admin
/// needs to decide — owner, URL, category, claimed against measured traffic, verification, and every
/// earlier decision. Approve, reject or suspend; each decision writes the site's state and reason, a
/// review row and an audit row together, and the webmaster sees the reason.
/// </summary>
public sealed class IndexModel(AllianceDbContext db, CurrentActor me, SiteReviews reviews, TimeProvider clock, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public const int PageSize = 20;
    public const int MeasuredDays = 30;
    public const string AllStates = "All";

    public sealed record ReviewView(SiteState? From, SiteState To, string? Reason, string? Actor, DateTimeOffset At);

    public sealed record SiteView(
        long Id, string Name, string Url, string Description, string OwnerName, string OwnerEmail, string CategoryEn, string CategoryZh,
        int ClaimedDailyVisitors, DateTimeOffset? VerifiedAt, SiteState State, string? StateReason, DateTimeOffset CreatedAt,
        int MeasuredClicks, int MeasuredDays, IReadOnlyList<ReviewView> Reviews)
    {
        public decimal ClicksPerDay => Math.Round((decimal)MeasuredClicks / MeasuredDays, 1, MidpointRounding.AwayFromZero);

        /// <summary>Only http(s) addresses become links; anything else (javascript:, data:) stays text.</summary>
        public bool UrlIsLink => Uri.TryCreate(Url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

        public bool Can(SiteDecision decision) => SiteReviewRules.Target(decision, State, VerifiedAt is not null) is not null;
    }

    [BindProperty(SupportsGet = true, Name = "state")] public string? Filter { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true, Name = Pager.PageParameter)] public int PageNumber { get; set; } = 1;

    [TempData] public string? Message { get; set; }

    public IReadOnlyList<SiteView> Sites { get; private set; } = [];
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
        var now = clock.GetUtcNow();
        CountByState = await db.Sites.GroupBy(s => s.State).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);

        var query = db.Sites.AsNoTracking();
        Filter ??= nameof(SiteState.Pending);
        if (Enum.GetNames<SiteState>().Contains(Filter))
        {
            var state = Enum.Parse<SiteState>(Filter);
            query = query.Where(s => s.State == state);
        }
        else
        {
            Filter = AllStates;
        }
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var pattern = SearchPattern.Containing(Search);
            query = query.Where(s => EF.Functions.ILike(s.Name, pattern) || EF.Functions.ILike(s.Url, pattern)
                || EF.Functions.ILike(s.Webmaster.User.Email!, pattern) || EF.Functions.ILike(s.Webmaster.User.DisplayName, pattern));
        }

        Pager = new Pager(PageNumber, PageSize, await query.CountAsync(ct), "/Admin/Sites",
            new Dictionary<string, string?> { ["state"] = Filter, ["q"] = Search });
        var rows = await query
            .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id)
            .Skip(Pager.Skip).Take(PageSize)
            .Select(s => new
            {
                s.Id, s.Name, s.Url, s.Description, OwnerName = s.Webmaster.User.DisplayName, OwnerEmail = s.Webmaster.User.Email ?? "",
                CategoryEn = s.Category.NameEn, CategoryZh = s.Category.NameZh, s.ClaimedDailyVisitors, s.VerifiedAt, s.State,
                s.StateReason, s.CreatedAt,
            })
            .ToListAsync(ct);

        var ids = rows.Select(r => r.Id).ToList();
        var since = now.AddDays(-MeasuredDays);
        var clicks = await db.Clicks.Where(c => ids.Contains(c.SiteId) && c.IsValid && c.OccurredAt >= since && c.OccurredAt <= now)
            .GroupBy(c => c.SiteId).Select(g => new { SiteId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.SiteId, x => x.Count, ct);
        var reviews = (await db.SiteReviews.AsNoTracking().Where(r => ids.Contains(r.SiteId))
                .OrderBy(r => r.At).ThenBy(r => r.Id)
                .Select(r => new
                {
                    r.SiteId, r.FromState, r.ToState, r.Reason, r.At,
                    Actor = db.Users.Where(u => u.Id == r.ActorUserId).Select(u => u.DisplayName).FirstOrDefault(),
                })
                .ToListAsync(ct))
            .ToLookup(r => r.SiteId, r => new ReviewView(r.FromState, r.ToState, r.Reason, r.Actor, r.At));

        Sites = rows.Select(r => new SiteView(r.Id, r.Name, r.Url, r.Description, r.OwnerName, r.OwnerEmail, r.CategoryEn, r.CategoryZh,
            r.ClaimedDailyVisitors, r.VerifiedAt, r.State, r.StateReason, r.CreatedAt, clicks.GetValueOrDefault(r.Id),
            // A site younger than the window is measured over the days it has existed.
            Math.Clamp((int)Math.Ceiling((now - r.CreatedAt).TotalDays), 1, MeasuredDays),
            reviews[r.Id].ToList())).ToList();
    }
}
