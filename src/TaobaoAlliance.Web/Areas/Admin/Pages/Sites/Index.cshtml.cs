using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Sites;

/// <summary>
/// The site review queue: sites oldest first (the ones waiting longest at the top), with what an admin
/// needs to decide — owner, URL, category, claimed against measured traffic, verification, and every
/// earlier decision. Approve, reject or suspend; each decision writes the site's state and reason, a
/// review row and an audit row together, and the webmaster sees the reason.
/// </summary>
public sealed class IndexModel(AllianceDbContext db, AuditTrail audit, TimeProvider clock, IStringLocalizer<SharedResource> localizer,
    ILogger<IndexModel> logger) : PageModel
{
    public const int PageSize = 20;
    public const int MaxReasonLength = 1000;
    public const int MeasuredDays = 30;
    public const string AllStates = "All";

    public enum Decision { Approve, Reject, Suspend }

    public sealed record ReviewView(SiteState? From, SiteState To, string? Reason, string? Actor, DateTimeOffset At);

    public sealed record SiteView(
        long Id, string Name, string Url, string Description, string OwnerName, string OwnerEmail, string CategoryEn, string CategoryZh,
        int ClaimedDailyVisitors, DateTimeOffset? VerifiedAt, SiteState State, string? StateReason, DateTimeOffset CreatedAt,
        int MeasuredClicks, int MeasuredDays, IReadOnlyList<ReviewView> Reviews)
    {
        public decimal ClicksPerDay => Math.Round((decimal)MeasuredClicks / MeasuredDays, 1, MidpointRounding.AwayFromZero);

        /// <summary>Only http(s) addresses become links; anything else (javascript:, data:) stays text.</summary>
        public bool UrlIsLink => Uri.TryCreate(Url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

        public bool Can(Decision decision) => Target(decision, State, VerifiedAt) is not null;
    }

    [BindProperty(SupportsGet = true, Name = "state")] public string? Filter { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true, Name = Pager.PageParameter)] public int PageNumber { get; set; } = 1;

    [TempData] public string? Message { get; set; }

    public IReadOnlyList<SiteView> Sites { get; private set; } = [];
    public IReadOnlyDictionary<SiteState, int> CountByState { get; private set; } = new Dictionary<SiteState, int>();
    public Pager Pager { get; private set; } = null!;

    /// <summary>
    /// Where each decision may lead from where a site stands. Approving needs a verified site, except
    /// putting a suspended site back (it was approved before). A rejected site may be reconsidered.
    /// </summary>
    public static SiteState? Target(Decision decision, SiteState from, DateTimeOffset? verifiedAt) => (decision, from) switch
    {
        (Decision.Approve, SiteState.Suspended) => SiteState.Approved,
        (Decision.Approve, SiteState.Pending or SiteState.Rejected) when verifiedAt is not null => SiteState.Approved,
        (Decision.Reject, SiteState.Pending) => SiteState.Rejected,
        (Decision.Suspend, SiteState.Approved) => SiteState.Suspended,
        _ => null,
    };

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public Task<IActionResult> OnPostApproveAsync(long siteId, string? reason, CancellationToken ct) => DecideAsync(siteId, Decision.Approve, reason, ct);

    public Task<IActionResult> OnPostRejectAsync(long siteId, string? reason, CancellationToken ct) => DecideAsync(siteId, Decision.Reject, reason, ct);

    public Task<IActionResult> OnPostSuspendAsync(long siteId, string? reason, CancellationToken ct) => DecideAsync(siteId, Decision.Suspend, reason, ct);

    private async Task<IActionResult> DecideAsync(long siteId, Decision decision, string? reason, CancellationToken ct)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (reason is null && decision != Decision.Approve)
        {
            return await RefuseAsync(decision == Decision.Reject
                ? localizer["Give the webmaster a reason for the rejection."]
                : localizer["Give the webmaster a reason for the suspension."], ct);
        }
        if (reason?.Length > MaxReasonLength)
        {
            return await RefuseAsync(localizer["The reason can be at most {0} characters.", MaxReasonLength], ct);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Lock the site: two admins deciding at once must not both act on the state they read.
        var site = await db.Sites.FromSql($"SELECT * FROM sites WHERE id = {siteId} FOR UPDATE").SingleOrDefaultAsync(ct);
        if (site is null) return NotFound();
        var from = site.State;
        if (Target(decision, from, site.VerifiedAt) is not { } to)
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return await RefuseAsync(Refusal(decision, site), ct);
        }

        var now = clock.GetUtcNow();
        var adminId = User.UserId();
        site.State = to;
        site.StateReason = to == SiteState.Approved ? null : reason;
        db.SiteReviews.Add(new SiteReview { SiteId = site.Id, FromState = from, ToState = to, Reason = reason, ActorUserId = adminId, At = now });
        audit.Record(adminId, "site." + decision.ToString().ToLowerInvariant(), "site", site.Id,
            new { site.WebmasterId, site.Name, fromState = from.ToString(), toState = to.ToString(), reason });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Site {SiteId} moved from {FromState} to {ToState} by admin {AdminUserId}", site.Id, from, to, adminId);

        Message = to switch
        {
            SiteState.Approved => localizer["“{0}” is approved: its links earn from now on.", site.Name],
            SiteState.Rejected => localizer["“{0}” is rejected; the webmaster sees your reason.", site.Name],
            _ => localizer["“{0}” is suspended: its clicks no longer earn.", site.Name],
        };
        return RedirectToPage(new { state = Filter, q = Search, p = PageNumber });
    }

    private string Refusal(Decision decision, Site site) => (decision, site.State) switch
    {
        (Decision.Approve, SiteState.Approved) => localizer["“{0}” is already approved.", site.Name],
        (Decision.Approve, _) when site.VerifiedAt is null => localizer["“{0}” has not proved ownership yet: approve it once it is verified.", site.Name],
        (Decision.Reject, _) => localizer["Only a site waiting for review can be rejected; “{0}” is {1}.", site.Name, StateLabel(site.State)],
        (Decision.Suspend, _) => localizer["Only an approved site can be suspended; “{0}” is {1}.", site.Name, StateLabel(site.State)],
        _ => localizer["“{0}” cannot be approved while it is {1}.", site.Name, StateLabel(site.State)],
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
