using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>
/// Sign-in with email and password. Failures count towards Identity's lockout, and an account an
/// admin disabled is refused even with the right password. Goes back to a local return URL only.
/// </summary>
public sealed class SignInModel(
    UserManager<AllianceUser> users,
    SignInManager<AllianceUser> signIn,
    IOptions<IdentityOptions> identityOptions,
    IStringLocalizer<SharedResource> localizer,
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

        var user = await users.FindByEmailAsync(Input.Email.Trim());
        if (user is null)
        {
            ModelState.AddModelError("", localizer["Wrong email or password."]);
            return Page();
        }

        // A disabled account is also locked out; tell the owner the real reason once the password proves who asks.
        if (user.DisabledAt is not null && await users.CheckPasswordAsync(user, Input.Password))
        {
            logger.LogWarning("Sign-in refused for user {UserId}: the account is disabled", user.Id);
            ModelState.AddModelError("", localizer["This account has been disabled. Contact the platform if you think this is a mistake."]);
            return Page();
        }

        // Checks the password and counts a failure towards the lockout, without signing in yet:
        // a disabled account is told so only once the password has proved who is asking.
        var result = await signIn.CheckPasswordSignInAsync(user, Input.Password, lockoutOnFailure: true);
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
        if (user.DisabledAt is not null)
        {
            logger.LogWarning("Sign-in refused for user {UserId}: the account is disabled", user.Id);
            ModelState.AddModelError("", localizer["This account has been disabled. Contact the platform if you think this is a mistake."]);
            return Page();
        }

        await signIn.SignInAsync(user, isPersistent: Input.RememberMe);
        return LocalRedirect(ReturnUrl ?? "/");
    }
}
