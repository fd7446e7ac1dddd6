using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Payouts;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Payouts;
using TaobaoAlliance.Application.Payouts;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Payouts;

/// <summary>
/// Payout requests: the open ones first, oldest at the top, with the webmaster's available balance
/// beside each; then the decided ones. Approve (final: the money is paid out) or reject with a reason
/// (the money returns to available) through <see cref="PayoutService"/>, which posts the ledger
/// entries and the audit rows.
/// </summary>
public sealed class IndexModel(AllianceDbContext db, PayoutService payouts, IStringLocalizer<SharedResource> localizer,
    ILogger<IndexModel> logger) : PageModel
{
    public const int PageSize = 25;
    public const int MaxReasonLength = 1000;

    public sealed record RequestView(long Id, long WebmasterId, string WebmasterName, string WebmasterEmail, Money Amount,
        DateTimeOffset RequestedAt, PayoutState State, DateTimeOffset? DecidedAt, string? DecidedBy, string? Reason, Money Available);

    [BindProperty(SupportsGet = true, Name = Pager.PageParameter)] public int PageNumber { get; set; } = 1;

    [TempData] public string? Message { get; set; }

    public IReadOnlyList<RequestView> Open { get; private set; } = [];
    public IReadOnlyList<RequestView> Decided { get; private set; } = [];
    public Money OpenTotal => new(Open.Sum(r => r.Amount.Fen));
    public Pager Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostApproveAsync(long payoutId, CancellationToken ct)
    {
        var outcome = await payouts.ApproveAsync(payoutId, User.UserId(), ct);
        if (!outcome.Succeeded) return await RefuseAsync(PayoutMessages.Refused(outcome, localizer), ct);
        logger.LogInformation("Payout {PayoutId} approved by admin {AdminUserId}", payoutId, User.UserId());
        Message = localizer["Payout {0} of {1} approved: it is paid out.", payoutId, new Money(outcome.Request!.AmountFen)];
        return RedirectToPage(new { p = PageNumber });
    }

    public async Task<IActionResult> OnPostRejectAsync(long payoutId, string? reason, CancellationToken ct)
    {
        if (reason?.Trim().Length > MaxReasonLength) return await RefuseAsync(localizer["The reason can be at most {0} characters.", MaxReasonLength], ct);
        var outcome = await payouts.RejectAsync(payoutId, User.UserId(), reason ?? "", ct);
        if (!outcome.Succeeded) return await RefuseAsync(PayoutMessages.Refused(outcome, localizer), ct);
        logger.LogInformation("Payout {PayoutId} rejected by admin {AdminUserId}", payoutId, User.UserId());
        Message = localizer["Payout {0} rejected: {1} is back in the webmaster's available balance.", payoutId, new Money(outcome.Request!.AmountFen)];
        return RedirectToPage(new { p = PageNumber });
    }

    private async Task<IActionResult> RefuseAsync(string error, CancellationToken ct)
    {
        ModelState.AddModelError("", error);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var open = await Rows(db.PayoutRequests.Where(p => p.State == PayoutState.Requested)
            .OrderBy(p => p.RequestedAt).ThenBy(p => p.Id)).ToListAsync(ct);

        var decided = db.PayoutRequests.Where(p => p.State != PayoutState.Requested);
        Pager = new Pager(PageNumber, PageSize, await decided.CountAsync(ct), "/Admin/Payouts", new Dictionary<string, string?>());
        var decidedRows = await Rows(decided.OrderByDescending(p => p.DecidedAt).ThenByDescending(p => p.Id)
            .Skip(Pager.Skip).Take(PageSize)).ToListAsync(ct);

        var webmasterIds = open.Concat(decidedRows).Select(r => r.WebmasterId).Distinct().ToList();
        var available = await db.LedgerAccounts.Where(a => a.Kind == AccountKind.WebmasterAvailable && webmasterIds.Contains(a.WebmasterId!.Value))
            .ToDictionaryAsync(a => a.WebmasterId!.Value, a => a.BalanceFen ?? 0, ct);

        RequestView View(Row r) => new(r.Id, r.WebmasterId, r.WebmasterName, r.WebmasterEmail, new Money(r.AmountFen), r.RequestedAt, r.State,
            r.DecidedAt, r.DecidedBy, r.Reason, new Money(available.GetValueOrDefault(r.WebmasterId)));
        Open = open.Select(View).ToList();
        Decided = decidedRows.Select(View).ToList();
    }

    private sealed record Row(long Id, long WebmasterId, string WebmasterName, string WebmasterEmail, long AmountFen, DateTimeOffset RequestedAt,
        PayoutState State, DateTimeOffset? DecidedAt, string? DecidedBy, string? Reason);

    private IQueryable<Row> Rows(IQueryable<PayoutRequest> requests) =>
        requests.Select(p => new Row(
            p.Id,
            p.WebmasterId,
            db.Webmasters.Where(w => w.Id == p.WebmasterId).Select(w => w.User.DisplayName).FirstOrDefault() ?? "",
            db.Webmasters.Where(w => w.Id == p.WebmasterId).Select(w => w.User.Email).FirstOrDefault() ?? "",
            p.AmountFen,
            p.RequestedAt,
            p.State,
            p.DecidedAt,
            db.Users.Where(u => u.Id == p.DecidedByUserId).Select(u => u.DisplayName).FirstOrDefault(),
            p.Reason));
}
