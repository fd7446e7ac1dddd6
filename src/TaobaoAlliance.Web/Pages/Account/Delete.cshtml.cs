using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Accounts;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Hosting;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>
/// The user deletes their own account (<see cref="AccountDeletion"/>): the page says what goes and what stays and why,
/// shows what stands in the way (money still owed either way, the last admin), and asks for the password and, with
/// two-factor sign-in on, a code. Once deleted, this browser is signed out; the others at their next request.
/// </summary>
[EnableRateLimiting(RateLimits.AccountForms)]
public sealed class DeleteModel(AccountDeletion deletion, UserManager<AllianceUser> users, SignInManager<AllianceUser> signIn,
    IStringLocalizer<SharedResource> localizer) : PageModel
{
    public sealed class DeleteInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(100, ErrorMessage = "{0} can be at most {1} characters.")]
        [DataType(DataType.Password)]
        [Display(Name = "Current password")]
        public string Password { get; set; } = "";

        [StringLength(20, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Code")]
        public string? Code { get; set; }
    }

    [BindProperty] public DeleteInput Input { get; set; } = new();

    public DeletionCheck Check { get; private set; } = null!;
    public bool TwoFactorOn { get; private set; }
    public bool Deleted { get; private set; }

    /// <summary>The sentences that say why the account cannot be deleted now, in the reader's language.</summary>
    public IReadOnlyList<string> Blockers => [.. Check.Blockers.Select(Describe)];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }
        var outcome = await deletion.DeleteAsync(User.UserId(), Input.Password, Input.Code, ct);
        if (!outcome.Succeeded)
        {
            await LoadAsync(ct);
            if (outcome.Check is { } check) Check = check;
            var message = Describe(outcome.Refusal!.Value);
            ModelState.AddModelError(outcome.Refusal is DeletionRefusal.CodeRequired or DeletionRefusal.WrongCode ? "Input.Code" : "", message);
            return Page();
        }
        await signIn.SignOutAsync();
        Deleted = true;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var userId = User.UserId();
        Check = await deletion.CheckAsync(userId, ct);
        TwoFactorOn = await users.Users.Where(u => u.Id == userId).Select(u => u.TwoFactorEnabled).SingleAsync(ct);
    }

    private string Describe(DeletionRefusal refusal) => refusal switch
    {
        DeletionRefusal.WrongPassword => localizer["The current password is not right."],
        DeletionRefusal.CodeRequired => localizer["Enter the code from your authenticator app."],
        DeletionRefusal.WrongCode => localizer["That code is not right. Check your authenticator app's clock."],
        DeletionRefusal.LastAdmin => localizer["You are the only admin. Invite another admin (Admin › Accounts) before you delete your account."],
        DeletionRefusal.MoneyPending => localizer["{0} is still on its way to you (commission and CPC earnings in their hold, or a payout being made). Wait until it is available and paid out.", Check.Pending.ToString()],
        DeletionRefusal.MoneyAvailable when Check.Available.Fen < 0 => localizer["Your available balance is {0}: a refund took back commission that was already yours. Settle it with the platform first.", Check.Available.ToString()],
        DeletionRefusal.MoneyAvailable => localizer["Your available balance is {0}. Request a payout of it first.", Check.Available.ToString()],
        DeletionRefusal.OpenPayout => localizer["A payout request is still open (waiting for a decision, or approved and not yet transferred). Wait until it is paid or rejected."],
        DeletionRefusal.SellerWallet => localizer["Your wallet holds {0}. Spend it or ask the platform to refund (withdraw) it first.", Check.Wallet.ToString()],
        DeletionRefusal.SellerCommissionDue => localizer["Your shops still owe {0} of commission on orders that are not settled yet. Wait until they settle.", Check.CommissionDue.ToString()],
        _ => localizer["This account is already deleted."],
    };
}
