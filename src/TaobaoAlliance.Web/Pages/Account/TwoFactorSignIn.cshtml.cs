using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Hosting;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>
/// The second step of sign-in for an account with two-factor sign-in: a code from the authenticator app, or one of
/// the recovery codes (each works once). Reached only with the cookie the right password set on the sign-in page;
/// wrong codes count towards Identity's lockout, so six digits cannot be guessed.
/// </summary>
[EnableRateLimiting(RateLimits.AccountForms)]
public sealed class TwoFactorSignInModel(SignInManager<AllianceUser> signIn, IStringLocalizer<SharedResource> localizer,
    ILogger<TwoFactorSignInModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty(SupportsGet = true)] public bool RememberMe { get; set; }

    [BindProperty]
    [StringLength(20, ErrorMessage = "{0} can be at most {1} characters.")]
    [Display(Name = "Code")]
    public string? Code { get; set; }

    [BindProperty]
    [StringLength(40, ErrorMessage = "{0} can be at most {1} characters.")]
    [Display(Name = "Recovery code")]
    public string? RecoveryCode { get; set; }

    // The form alone, whoever asks: without the password step's cookie, its post goes back to sign-in.
    public void OnGet()
    {
        if (!Url.IsLocalUrl(ReturnUrl)) ReturnUrl = null;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!Url.IsLocalUrl(ReturnUrl)) ReturnUrl = null;
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return RedirectToPage("/Account/SignIn", new { ReturnUrl });
        if (!ModelState.IsValid) return Page();
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (code.Length == 0)
        {
            ModelState.AddModelError(nameof(Code), localizer["Enter the 6-digit code from your authenticator app."]);
            return Page();
        }
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, RememberMe, rememberClient: false);
        return Outcome(result, user.Id, "authenticator");
    }

    public async Task<IActionResult> OnPostRecoveryAsync()
    {
        if (!Url.IsLocalUrl(ReturnUrl)) ReturnUrl = null;
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return RedirectToPage("/Account/SignIn", new { ReturnUrl });
        if (!ModelState.IsValid) return Page();
        var code = (RecoveryCode ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (code.Length == 0)
        {
            ModelState.AddModelError(nameof(RecoveryCode), localizer["Enter one of your recovery codes."]);
            return Page();
        }
        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        return Outcome(result, user.Id, "recovery code");
    }

    private IActionResult Outcome(Microsoft.AspNetCore.Identity.SignInResult result, long userId, string method)
    {
        if (result.Succeeded)
        {
            logger.LogInformation("User {UserId} signed in with two factors ({Method})", userId, method);
            return LocalRedirect(ReturnUrl ?? "/");
        }
        if (result.IsLockedOut)
        {
            logger.LogWarning("Two-factor sign-in of user {UserId} refused: locked out", userId);
            ModelState.AddModelError("", localizer["Too many wrong codes: this account is locked for a while. Try again later."]);
        }
        else
        {
            ModelState.AddModelError("", localizer["That code is not right. Check your authenticator app's clock, or use a recovery code."]);
        }
        return Page();
    }
}
