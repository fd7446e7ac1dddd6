using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Hosting;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>Chooses a new password with the one-time code from the reset email.</summary>
[EnableRateLimiting(RateLimits.AccountForms)]
public sealed class ResetPasswordModel(UserManager<AllianceUser> users, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public sealed class ResetInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "{0} is required.")]
        public string Code { get; set; } = "";

        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(100, MinimumLength = 8, ErrorMessage = "{0} must be at least {2} characters long.")]
        [DataType(DataType.Password)]
        [Display(Name = "New password")]
        public string Password { get; set; } = "";

        [Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
        [DataType(DataType.Password)]
        [Display(Name = "Confirm password")]
        public string ConfirmPassword { get; set; } = "";
    }

    [BindProperty] public ResetInput Input { get; set; } = new();
    public bool Done { get; private set; }

    public void OnGet(string? email, string? code)
    {
        Input.Email = email ?? "";
        Input.Code = code ?? "";
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var user = await users.FindByEmailAsync(Input.Email.Trim());
        string token;
        try
        {
            token = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(Input.Code));
        }
        catch (FormatException)
        {
            token = "";
        }
        var result = user is null || token.Length == 0
            ? IdentityResult.Failed(new IdentityError { Code = "InvalidToken" })
            : await users.ResetPasswordAsync(user, token, Input.Password);
        if (!result.Succeeded)
        {
            var messages = result.Errors.Any(e => e.Code == "InvalidToken")
                ? [localizer["This reset link is invalid or has expired. Ask for a new one."].Value]
                : IdentityMessages.Describe(result.Errors, localizer);
            foreach (var message in messages) ModelState.AddModelError("", message);
            return Page();
        }
        Done = true;
        return Page();
    }
}
