using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.DataProtection;
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
/// entries and the audit rows. Approved requests wait for finance: the batch exports as CSV (with the full account
/// numbers — finance cannot transfer to a masked one; every admin here signed in with two factors, and each export is
/// audited with the requests it held), and each is marked paid with the transfer's reference.
/// </summary>
public sealed class IndexModel(AllianceDbContext db, PayoutService payouts, IDataProtectionProvider protection, AuditTrail audit,
    IStringLocalizer<SharedResource> localizer, ILogger<IndexModel> logger) : PageModel
{
    public const int PageSize = 25;
    public const int MaxReasonLength = 1000;

    public sealed record RequestView(long Id, long WebmasterId, string WebmasterName, string WebmasterEmail, Money Amount,
        DateTimeOffset RequestedAt, PayoutState State, DateTimeOffset? DecidedAt, string? DecidedBy, string? Reason, Money Available,
        string? Method, string? PaidReference);

    [BindProperty(SupportsGet = true, Name = Pager.PageParameter)] public int PageNumber { get; set; } = 1;

    [TempData] public string? Message { get; set; }

    public IReadOnlyList<RequestView> Open { get; private set; } = [];
    /// <summary>Approved, not yet marked paid: finance's next batch.</summary>
    public IReadOnlyList<RequestView> ToPay { get; private set; } = [];
    public IReadOnlyList<RequestView> Decided { get; private set; } = [];
    public Money OpenTotal => new(Open.Sum(r => r.Amount.Fen));
    public Pager Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostApproveAsync(long payoutId, CancellationToken ct)
    {
        var outcome = await payouts.ApproveAsync(payoutId, User.UserId(), ct);
        if (!outcome.Succeeded) return await RefuseAsync(PayoutMessages.Refused(outcome, localizer), ct);
        logger.LogInformation("Payout {PayoutId} approved by admin {AdminUserId}", payoutId, User.UserId());
        Message = localizer["Payout {0} of {1} approved: it waits for finance's transfer.", payoutId, new Money(outcome.Request!.AmountFen)];
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

    public async Task<IActionResult> OnPostPaidAsync(long payoutId, string? reference, CancellationToken ct)
    {
        var outcome = await payouts.MarkPaidAsync(payoutId, User.UserId(), reference ?? "", ct);
        if (!outcome.Succeeded) return await RefuseAsync(PayoutMessages.Refused(outcome, localizer), ct);
        logger.LogInformation("Payout {PayoutId} marked paid by admin {AdminUserId}", payoutId, User.UserId());
        Message = localizer["Payout {0} marked paid (reference {1}).", payoutId, outcome.Request!.PaidReference!];
        return RedirectToPage(new { p = PageNumber });
    }

    /// <summary>The batch for finance: every approved, unpaid request with where to send it, in full.</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var rows = await (from p in db.PayoutRequests
                          where p.State == PayoutState.Approved
                          join w in db.Webmasters on p.WebmasterId equals w.Id
                          join m in db.PayoutMethods on p.WebmasterId equals m.WebmasterId into methods
                          from m in methods.DefaultIfEmpty()
                          orderby p.DecidedAt, p.Id
                          select new { p.Id, p.WebmasterId, w.User.DisplayName, w.User.Email, p.AmountFen, p.DecidedAt, Method = m })
            .ToListAsync(ct);
        var protector = PayoutAccounts.Protector(protection);
        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        // Escape: a name such as "=HYPERLINK(…)" must stay text when finance opens the file in a spreadsheet.
        await using (var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape }))
        {
            foreach (var header in new[] { "payout_id", "webmaster_id", "webmaster", "email", "amount_yuan", "approved_at", "method", "holder_name", "bank", "account" })
            {
                csv.WriteField(header);
            }
            await csv.NextRecordAsync();
            foreach (var r in rows)
            {
                csv.WriteField(r.Id);
                csv.WriteField(r.WebmasterId);
                csv.WriteField(r.DisplayName);
                csv.WriteField(r.Email);
                csv.WriteField(new Money(r.AmountFen).Yuan.ToString("0.00", CultureInfo.InvariantCulture));
                csv.WriteField(r.DecidedAt?.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture));
                csv.WriteField(r.Method?.Kind.ToString() ?? "");
                csv.WriteField(r.Method?.HolderName ?? "");
                csv.WriteField(r.Method?.BankName ?? "");
                csv.WriteField(r.Method is null ? "" : PayoutAccounts.Reveal(protector, r.Method));
                await csv.NextRecordAsync();
            }
        }
        audit.Record(User.UserId(), "payout.export", "payout_batch", User.UserId(),
            new { payoutIds = rows.Select(r => r.Id).ToList(), totalFen = rows.Sum(r => r.AmountFen) });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Admin {AdminUserId} exported {Count} approved payouts for finance", User.UserId(), rows.Count);
        return File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", "payouts-to-pay.csv");
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

        var toPay = await Rows(db.PayoutRequests.Where(p => p.State == PayoutState.Approved)
            .OrderBy(p => p.DecidedAt).ThenBy(p => p.Id)).ToListAsync(ct);
        var decided = db.PayoutRequests.Where(p => p.State == PayoutState.Rejected || p.State == PayoutState.Paid);
        Pager = new Pager(PageNumber, PageSize, await decided.CountAsync(ct), "/Admin/Payouts", new Dictionary<string, string?>());
        var decidedRows = await Rows(decided.OrderByDescending(p => p.DecidedAt).ThenByDescending(p => p.Id)
            .Skip(Pager.Skip).Take(PageSize)).ToListAsync(ct);

        var webmasterIds = open.Concat(toPay).Concat(decidedRows).Select(r => r.WebmasterId).Distinct().ToList();
        var available = await db.LedgerAccounts.Where(a => a.Kind == AccountKind.WebmasterAvailable && webmasterIds.Contains(a.WebmasterId!.Value))
            .ToDictionaryAsync(a => a.WebmasterId!.Value, a => a.BalanceFen ?? 0, ct);

        RequestView View(Row r) => new(r.Id, r.WebmasterId, r.WebmasterName, r.WebmasterEmail, new Money(r.AmountFen), r.RequestedAt, r.State,
            r.DecidedAt, r.DecidedBy, r.Reason, new Money(available.GetValueOrDefault(r.WebmasterId)), r.Method, r.PaidReference);
        Open = open.Select(View).ToList();
        ToPay = toPay.Select(View).ToList();
        Decided = decidedRows.Select(View).ToList();
    }

    private sealed record Row(long Id, long WebmasterId, string WebmasterName, string WebmasterEmail, long AmountFen, DateTimeOffset RequestedAt,
        PayoutState State, DateTimeOffset? DecidedAt, string? DecidedBy, string? Reason, string? Method, string? PaidReference);

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
            p.Reason,
            db.PayoutMethods.Where(m => m.WebmasterId == p.WebmasterId).Select(m => m.MaskedAccount + " (" + m.HolderName + ")").FirstOrDefault(),
            p.PaidReference));
}
