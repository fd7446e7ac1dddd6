using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Hosting;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Mail;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>
/// Sign-in with email and password. Guessing is slowed per IP and per account (<see cref="SignInThrottle"/>),
/// failures never lock the account, and an account an admin disabled is refused even with the right
/// password. An unconfirmed address is told so (once the password proves who asks) and sent a new link. With two-factor
/// sign-in on, the password only leads to the code step (<see cref="TwoFactorSignInModel"/>). Goes back to a local return URL only.
/// </summary>
[EnableRateLimiting(RateLimits.AccountForms)]
public sealed class SignInModel(
    UserManager<AllianceUser> users,
    SignInManager<AllianceUser> signIn,
    IPasswordHasher<AllianceUser> passwordHasher,
    SignInThrottle throttle,
    IOptions<IdentityOptions> identityOptions,
    IStringLocalizer<SharedResource> localizer,
    IEmailSender mail,
    IOptions<PublicSiteOptions> site,
    ILogger<SignInModel> logger) : PageModel
{
    public sealed class SignInInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "{0} is required.")]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = "";

        [Display(Name = "Remember me")]
        public bool RememberMe { get; set; }
    }

    [BindProperty] public SignInInput Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public void OnGet()
    {
        if (!Url.IsLocalUrl(ReturnUrl)) ReturnUrl = null;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!Url.IsLocalUrl(ReturnUrl)) ReturnUrl = null;
        if (!ModelState.IsValid) return Page();

        var email = Input.Email.Trim();
        if (!throttle.TryAttempt(email))
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = "60";
            ModelState.AddModelError("", localizer["Too many sign-in attempts for this account. Wait a minute and try again."]);
            return Page();
        }

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            // As much work as a wrong password for a real account: the time taken must not tell who is registered.
            throttle.CheckAgainstNobody(passwordHasher, Input.Password);
            ModelState.AddModelError("", localizer["Wrong email or password."]);
            return Page();
        }

        // A disabled account is also locked out; tell the owner the real reason once the password proves who asks.
        if (user.DisabledAt is not null)
        {
            if (!await users.CheckPasswordAsync(user, Input.Password))
            {
                ModelState.AddModelError("", localizer["Wrong email or password."]);
                return Page();
            }
            logger.LogWarning("Sign-in refused for user {UserId}: the account is disabled", user.Id);
            ModelState.AddModelError("", localizer["This account has been disabled. Contact the platform if you think this is a mistake."]);
            return Page();
        }

        if (!user.EmailConfirmed)
        {
            if (!await users.CheckPasswordAsync(user, Input.Password))
            {
                ModelState.AddModelError("", localizer["Wrong email or password."]);
                return Page();
            }
            await AccountEmails.SendConfirmationAsync(users, mail, site.Value, Url, localizer, user, ReturnUrl, HttpContext.RequestAborted);
            ModelState.AddModelError("", localizer["Confirm your email address first: we have sent a new link to {0}.", user.Email!]);
            return Page();
        }

        // Failures do not lock the account (see SignInThrottle); a lockout set some other way is still honoured.
        // With two-factor sign-in on, a right password signs nobody in: it sets the cookie of the code step.
        var result = await signIn.PasswordSignInAsync(user, Input.Password, Input.RememberMe, lockoutOnFailure: false);
        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/Account/TwoFactorSignIn", new { ReturnUrl, Input.RememberMe });
        }
        if (result.IsLockedOut)
        {
            logger.LogWarning("Sign-in refused for user {UserId}: locked out", user.Id);
            ModelState.AddModelError("", localizer["Too many failed attempts: this account is locked for {0} minutes.",
                (int)identityOptions.Value.Lockout.DefaultLockoutTimeSpan.TotalMinutes]);
            return Page();
        }
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", localizer["Wrong email or password."]);
            return Page();
        }
        return LocalRedirect(ReturnUrl ?? "/");
    }
}
