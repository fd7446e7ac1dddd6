using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Wallet;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Application.Wallet;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Wallet;

/// <summary>
/// The seller's wallet: the balance, the commission still owed on unsettled orders, the deposit form,
/// the recent deposit attempts and every movement of the wallet from the ledger with its running balance.
/// </summary>
public sealed class IndexModel(
    AllianceDbContext db,
    CurrentActor me,
    LedgerWriter ledger,
    WalletDeposits deposits,
    WalletStatement statement,
    IStringLocalizer<SharedResource> localizer) : PageModel
{
    public const int StatementPageSize = 50;
    public const int RecentDeposits = 10;

    public sealed class DepositInput
    {
        /// <summary>Taken as text and parsed here, so every wrong entry gets a message in the reader's language.</summary>
        public string? Amount { get; set; }
    }

    public sealed record DepositView(long Id, Money Amount, DepositState State, DateTimeOffset CreatedAt, string? Reference, string? FailureReason);

    [BindProperty] public DepositInput Input { get; set; } = new();
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    [TempData] public string? Message { get; set; }

    public Money Balance { get; private set; }
    public Money CommissionOwed { get; private set; }
    public Money MinDeposit => new(deposits.Options.MinDepositFen);
    public Money MaxDeposit => new(deposits.Options.MaxDepositFen);
    public IReadOnlyList<DepositView> Deposits { get; private set; } = [];
    public IReadOnlyList<WalletLine> Statement { get; private set; } = [];
    public int StatementLines { get; private set; }
    public int PageCount => Math.Max(1, (StatementLines + StatementPageSize - 1) / StatementPageSize);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        await LoadAsync(sellerId, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        if (ParseAmount() is { } amount)
        {
            var outcome = await deposits.DepositAsync(sellerId, me.UserId, amount, ct);
            if (outcome.Succeeded)
            {
                Message = localizer["{0} was added to your wallet.", amount];
                return RedirectToPage();
            }
            ModelState.AddModelError("Input.Amount", localizer[outcome.Error!]);
        }
        await LoadAsync(sellerId, ct);
        return Page();
    }

    /// <summary>The amount typed, in whole fen, or null with the reason in ModelState.</summary>
    private Money? ParseAmount()
    {
        const string key = "Input.Amount";
        var text = Input.Amount?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            ModelState.AddModelError(key, localizer["Enter the amount to deposit."]);
            return null;
        }
        // Digits and one decimal point only: no sign, no exponent, no thousands separators to misread.
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan))
        {
            ModelState.AddModelError(key, localizer["Enter the amount in yuan as a number, such as 500 or 1250.50."]);
            return null;
        }
        if (yuan != decimal.Round(yuan, 2))
        {
            ModelState.AddModelError(key, localizer["Enter the amount in yuan with at most two decimals, such as 120.50."]);
            return null;
        }
        if (yuan * 100m < deposits.Options.MinDepositFen || yuan * 100m > deposits.Options.MaxDepositFen)
        {
            ModelState.AddModelError(key, localizer["Deposit between {0} and {1}.", MinDeposit, MaxDeposit]);
            return null;
        }
        return Money.FromYuan(yuan);
    }

    private async Task LoadAsync(long sellerId, CancellationToken ct)
    {
        Balance = await ledger.BalanceAsync(AccountRef.Wallet(sellerId), ct);
        // The commission-due account runs negative while commission is owed; the page shows what is owed as a positive amount.
        CommissionOwed = -await ledger.BalanceAsync(AccountRef.CommissionDue(sellerId), ct);
        Deposits = await db.WalletDeposits.AsNoTracking().Where(d => d.SellerId == sellerId)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(RecentDeposits)
            .Select(d => new DepositView(d.Id, new Money(d.AmountFen), d.State, d.CreatedAt, d.GatewayReference, d.FailureReason))
            .ToListAsync(ct);
        StatementLines = await statement.CountAsync(sellerId, ct);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Statement = await statement.PageAsync(sellerId, (PageNumber - 1) * StatementPageSize, StatementPageSize, ct);
    }
}
