using System.ComponentModel.DataAnnotations;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Hosting;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Mail;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>
/// Changes the password, given the current one. Other sessions end (the security stamp changes); this one is signed in
/// again, keeping its two-factor claim. The account's address is told, so a change by someone else does not go unseen.
/// </summary>
[EnableRateLimiting(RateLimits.AccountForms)]
public sealed class ChangePasswordModel(UserManager<AllianceUser> users, SignInManager<AllianceUser> signIn, IEmailSender email,
    IStringLocalizer<SharedResource> localizer, ILogger<ChangePasswordModel> logger) : PageModel
{
    public sealed class PasswordInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [DataType(DataType.Password)]
        [Display(Name = "Current password")]
        public string CurrentPassword { get; set; } = "";

        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(100, MinimumLength = 8, ErrorMessage = "{0} must be {2} to {1} characters long.")]
        [DataType(DataType.Password)]
        [Display(Name = "New password")]
        public string NewPassword { get; set; } = "";

        [Required(ErrorMessage = "{0} is required.")]
        [Compare(nameof(NewPassword), ErrorMessage = "The two passwords do not match.")]
        [DataType(DataType.Password)]
        [Display(Name = "Confirm password")]
        public string ConfirmPassword { get; set; } = "";
    }

    [BindProperty] public PasswordInput Input { get; set; } = new();
    [TempData] public string? Message { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        var userId = User.UserId();
        var user = await users.Users.SingleAsync(u => u.Id == userId, ct);
        var changed = await users.ChangePasswordAsync(user, Input.CurrentPassword, Input.NewPassword);
        if (!changed.Succeeded)
        {
            foreach (var message in changed.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch))
                ? [localizer["The current password is not right."].Value] : IdentityMessages.Describe(changed.Errors, localizer))
            {
                ModelState.AddModelError("", message);
            }
            return Page();
        }
        await signIn.RefreshSignInAsync(user);
        logger.LogInformation("User {UserId} changed their password", user.Id);
        await email.SendAsync(user.Email!, localizer["Your TaobaoAlliance password was changed"],
            $"<p>{HtmlEncoder.Default.Encode(localizer["The password of your account was just changed. If it was not you, reset it at once from the sign-in page and contact the platform."])}</p>", ct);
        Message = localizer["Your password is changed. Other browsers signed in to this account are signed out."];
        return RedirectToPage();
    }
}
