using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Payouts;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Payouts;
using TaobaoAlliance.Application.Payouts;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Areas.Webmaster.Pages.Balance;

/// <summary>
/// Balance and payouts: the balances (CPC earnings in their hold apart, with when they become available; pending commission
/// with when it is expected to settle), the statement (every ledger line on the webmaster's
/// accounts, newest first), the payout requests with the admin's decisions, and the form to ask for
/// a payout. The payout service has the last word (threshold, available money, one open request);
/// the checks here only word its rules in the reader's language before anything is written.
/// </summary>
public sealed class IndexModel(
    AllianceDbContext db,
    CurrentActor me,
    WebmasterAccounts accounts,
    PayoutService payouts,
    IOptionsSnapshot<AllianceOptions> options,
    IStringLocalizer<SharedResource> localizer,
    ILogger<IndexModel> logger) : PageModel
{
    public const int StatementPageSize = 50;

    public sealed class PayoutInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [Range(typeof(decimal), "0.01", "100000000", ErrorMessage = "Enter an amount between ¥{1} and ¥{2}.")]
        [Display(Name = "Amount (¥)")]
        public decimal? Amount { get; set; }
    }

    /// <summary>One ledger line on one of the webmaster's accounts, with what its entry was about.</summary>
    public sealed record StatementLine(long Id, DateTimeOffset At, string EntryKind, string Description, long? OrderId, string? ExternalOrderId,
        long? PayoutRequestId, AccountKind Account, Money Amount);

    public sealed record PayoutView(long Id, Money Amount, PayoutState State, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt, string? Reason);

    [BindProperty] public PayoutInput Input { get; set; } = new();
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    [TempData] public string? Message { get; set; }

    /// <summary>Where payouts go (masked), or null when the webmaster has not said yet.</summary>
    public Data.Payouts.PayoutMethod? Method { get; private set; }
    public WebmasterBalances Balances { get; private set; } = new(default, default, default, default);
    public Money Threshold => new(options.Value.PayoutThresholdFen);
    public int CpcHoldDays => options.Value.CpcHoldDays;
    public int SettlementHoldDays => options.Value.SettlementHoldDays;
    public int AutoConfirmDays => options.Value.AutoConfirmDays;
    public IReadOnlyList<CpcRelease> CpcReleases { get; private set; } = [];
    public IReadOnlyList<CommissionSettlement> Settlements { get; private set; } = [];
    public IReadOnlyList<PayoutView> Payouts { get; private set; } = [];
    public PayoutView? OpenRequest => Payouts.FirstOrDefault(p => p.State == PayoutState.Requested);
    public IReadOnlyList<StatementLine> Statement { get; private set; } = [];
    public int StatementLines { get; private set; }
    public int PageCount => Math.Max(1, (StatementLines + StatementPageSize - 1) / StatementPageSize);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        await LoadAsync(webmasterId, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        if (ModelState.IsValid && Input.Amount is { } yuan)
        {
            var amount = Money.FromYuan(yuan);
            var balances = await accounts.BalancesAsync(webmasterId, ct);
            if (yuan != decimal.Round(yuan, 2))
            {
                ModelState.AddModelError("Input.Amount", localizer["Enter the amount in yuan with at most two decimals, such as 120.50."]);
            }
            else if (amount < Threshold)
            {
                ModelState.AddModelError("Input.Amount", localizer["The smallest payout is {0}.", Threshold]);
            }
            else if (await db.PayoutRequests.AnyAsync(p => p.WebmasterId == webmasterId && p.State == PayoutState.Requested, ct))
            {
                ModelState.AddModelError("Input.Amount", localizer["You already have an open payout request; wait for the admin's decision."]);
            }
            else if (amount > balances.Available)
            {
                ModelState.AddModelError("Input.Amount", localizer["You can request at most your available balance, {0}.", balances.Available]);
            }
            else
            {
                var outcome = await payouts.RequestAsync(webmasterId, amount, ct);
                if (outcome.Succeeded)
                {
                    logger.LogInformation("Webmaster {WebmasterId} requested payout {PayoutId} of {AmountFen} fen", webmasterId, outcome.Request!.Id, amount.Fen);
                    Message = localizer["Your payout request of {0} is sent. An admin will review it; the money stays in “Payout requested” until then.", amount];
                    return RedirectToPage();
                }
                // Another request or posting got there between the checks above and the service's own (under its lock).
                logger.LogInformation("Payout request of webmaster {WebmasterId} refused: {Refusal}", webmasterId, outcome.Refusal);
                ModelState.AddModelError("Input.Amount", PayoutMessages.Refused(outcome, localizer));
            }
        }
        await LoadAsync(webmasterId, ct);
        return Page();
    }

    private async Task LoadAsync(long webmasterId, CancellationToken ct)
    {
        Balances = await accounts.BalancesAsync(webmasterId, ct);
        Method = await db.PayoutMethods.AsNoTracking().SingleOrDefaultAsync(m => m.WebmasterId == webmasterId, ct);
        CpcReleases = await accounts.CpcReleasesAsync(webmasterId, ct);
        Settlements = await accounts.CommissionSettlementsAsync(webmasterId, ct);
        Payouts = await db.PayoutRequests.AsNoTracking().Where(p => p.WebmasterId == webmasterId)
            .OrderByDescending(p => p.RequestedAt).ThenByDescending(p => p.Id)
            .Select(p => new PayoutView(p.Id, new Money(p.AmountFen), p.State, p.RequestedAt, p.DecidedAt, p.Reason))
            .ToListAsync(ct);

        var lines =
            from line in db.JournalLines
            join account in db.LedgerAccounts on line.AccountId equals account.Id
            join entry in db.JournalEntries on line.EntryId equals entry.Id
            where account.WebmasterId == webmasterId
            select new { line, account, entry };
        StatementLines = await lines.CountAsync(ct);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Statement = await lines
            .OrderByDescending(x => x.entry.OccurredAt).ThenByDescending(x => x.line.Id)
            .Skip((PageNumber - 1) * StatementPageSize).Take(StatementPageSize)
            .Select(x => new StatementLine(x.line.Id, x.entry.OccurredAt, x.entry.Kind, x.entry.Description, x.entry.OrderId,
                db.Orders.Where(o => o.Id == x.entry.OrderId).Select(o => o.ExternalOrderId).FirstOrDefault(),
                x.entry.PayoutRequestId, x.account.Kind, new Money(x.line.AmountFen)))
            .ToListAsync(ct);
    }
}
