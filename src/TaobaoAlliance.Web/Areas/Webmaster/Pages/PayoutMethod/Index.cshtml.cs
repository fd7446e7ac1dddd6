using System.ComponentModel.DataAnnotations;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Payouts;
using TaobaoAlliance.Web.Hosting;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Mail;
using TaobaoAlliance.Web.Payouts;

namespace TaobaoAlliance.Web.Areas.Webmaster.Pages.PayoutMethod;

/// <summary>
/// Where the webmaster's payouts go: an Alipay account or a bank card, shown masked. Setting or changing it needs
/// two-factor sign-in on and a fresh code from the app in the same form — a stolen session alone cannot redirect the
/// money — and the account's address is told by email. The account is stored encrypted (<see cref="PayoutAccounts"/>).
/// </summary>
[EnableRateLimiting(RateLimits.AccountForms)]
public sealed class IndexModel(
    AllianceDbContext db,
    CurrentActor me,
    UserManager<AllianceUser> users,
    IDataProtectionProvider protection,
    IEmailSender email,
    AuditTrail audit,
    TimeProvider clock,
    IStringLocalizer<SharedResource> localizer,
    ILogger<IndexModel> logger) : PageModel
{
    public sealed class MethodInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [Display(Name = "Payout method")]
        public PayoutMethodKind? Kind { get; set; }

        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(100, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Account holder's name")]
        public string HolderName { get; set; } = "";

        [StringLength(100, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Bank")]
        public string? BankName { get; set; }

        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(100, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Alipay account or card number")]
        public string Account { get; set; } = "";

        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(20, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Code from your authenticator app")]
        public string Code { get; set; } = "";
    }

    [BindProperty] public MethodInput Input { get; set; } = new();
    [TempData] public string? Message { get; set; }

    public Data.Payouts.PayoutMethod? Current { get; private set; }
    public bool TwoFactorEnabled { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        await LoadAsync(webmasterId, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        await LoadAsync(webmasterId, ct);
        var user = await users.Users.SingleAsync(u => u.Id == me.UserId, ct);
        if (!TwoFactorEnabled)
        {
            ModelState.AddModelError("", localizer["Turn on two-factor sign-in before you set a payout method."]);
            return Page();
        }
        if (!ModelState.IsValid) return Page();
        var kind = Input.Kind!.Value;
        var account = PayoutAccounts.Normalize(kind, Input.Account);
        if (account is null)
        {
            ModelState.AddModelError("Input.Account", kind == PayoutMethodKind.BankCard
                ? localizer["Enter the card number: 12 to 19 digits."]
                : localizer["Enter the Alipay account: a mainland mobile number (11 digits) or an email address."]);
        }
        var bank = Input.BankName?.Trim() ?? "";
        if (kind == PayoutMethodKind.BankCard && bank.Length == 0) ModelState.AddModelError("Input.BankName", localizer["Name the bank of the card."]);
        if (!ModelState.IsValid) return Page();

        // The fresh second factor: whoever holds this session must also hold the phone.
        var code = Input.Code.Replace(" ", "", StringComparison.Ordinal);
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            logger.LogWarning("Payout method change of webmaster {WebmasterId} refused: wrong two-factor code", webmasterId);
            ModelState.AddModelError("Input.Code", localizer["That code is not right. Check your authenticator app's clock, or use a recovery code."]);
            return Page();
        }

        var method = await db.PayoutMethods.SingleOrDefaultAsync(m => m.WebmasterId == webmasterId, ct);
        var isNew = method is null;
        method ??= db.PayoutMethods.Add(new Data.Payouts.PayoutMethod { WebmasterId = webmasterId }).Entity;
        method.Kind = kind;
        method.HolderName = Input.HolderName.Trim();
        method.BankName = kind == PayoutMethodKind.BankCard ? bank : "";
        method.ProtectedAccount = PayoutAccounts.Protect(PayoutAccounts.Protector(protection), account!);
        method.MaskedAccount = PayoutAccounts.Mask(kind, account!);
        method.UpdatedAt = clock.GetUtcNow();
        audit.Record(user.Id, isNew ? "payout_method.add" : "payout_method.change", "webmaster", webmasterId,
            new { Kind = kind.ToString(), method.MaskedAccount });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Webmaster {WebmasterId} set their payout method ({Kind} {Masked})", webmasterId, kind, method.MaskedAccount);

        var label = kind == PayoutMethodKind.Alipay ? localizer["Alipay"] : localizer["Bank card"];
        await email.SendAsync(user.Email!, localizer["Your TaobaoAlliance payout method was changed"],
            $"<p>{HtmlEncoder.Default.Encode(localizer["Your payouts will now go to: {0} {1} ({2}).", label, method.MaskedAccount, method.HolderName])}</p>"
            + $"<p>{HtmlEncoder.Default.Encode(localizer["If you did not make this change, change your password at once and contact the platform."])}</p>", ct);

        Message = localizer["Your payout method is saved: {0} {1}.", label, method.MaskedAccount];
        return RedirectToPage();
    }

    private async Task LoadAsync(long webmasterId, CancellationToken ct)
    {
        Current = await db.PayoutMethods.AsNoTracking().SingleOrDefaultAsync(m => m.WebmasterId == webmasterId, ct);
        TwoFactorEnabled = await db.Users.Where(u => u.Id == me.UserId).Select(u => u.TwoFactorEnabled).SingleAsync(ct);
    }
}
