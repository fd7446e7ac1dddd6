using System.ComponentModel.DataAnnotations;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Hosting;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Mail;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>
/// Changes the sign-in email, given the password: nothing changes until the link sent to the new address is opened
/// (<see cref="ConfirmEmailModel"/>), and the old address is told, so a stolen session cannot quietly take the account.
/// </summary>
[EnableRateLimiting(RateLimits.AccountForms)]
public sealed class ChangeEmailModel(UserManager<AllianceUser> users, IEmailSender mail, IOptions<PublicSiteOptions> site,
    IStringLocalizer<SharedResource> localizer, ILogger<ChangeEmailModel> logger) : PageModel
{
    public sealed class EmailInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [StringLength(256, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "New email")]
        public string NewEmail { get; set; } = "";

        [Required(ErrorMessage = "{0} is required.")]
        [DataType(DataType.Password)]
        [Display(Name = "Current password")]
        public string CurrentPassword { get; set; } = "";
    }

    [BindProperty] public EmailInput Input { get; set; } = new();
    public string? SentTo { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        var userId = User.UserId();
        var user = await users.Users.SingleAsync(u => u.Id == userId, ct);
        if (!await users.CheckPasswordAsync(user, Input.CurrentPassword))
        {
            ModelState.AddModelError("", localizer["The current password is not right."]);
            return Page();
        }
        var newEmail = Input.NewEmail.Trim();
        if (await users.FindByEmailAsync(newEmail) is not null)
        {
            ModelState.AddModelError("", localizer["An account with this email already exists."]);
            return Page();
        }
        var code = AccountEmails.Encode(await users.GenerateChangeEmailTokenAsync(user, newEmail));
        var link = site.Value.Absolute(Url.Page("/Account/ConfirmEmail", new { userId = user.Id, code, newEmail })!);
        await mail.SendAsync(newEmail, localizer["Confirm your new TaobaoAlliance email address"],
            $"<p>{HtmlEncoder.Default.Encode(localizer["To make this the email address of your TaobaoAlliance account, open this link:"])}</p>"
            + $"<p><a href=\"{HtmlEncoder.Default.Encode(link)}\">{HtmlEncoder.Default.Encode(link)}</a></p>", ct);
        await mail.SendAsync(user.Email!, localizer["A change of your TaobaoAlliance email address was asked for"],
            $"<p>{HtmlEncoder.Default.Encode(localizer["Someone signed in to your account asked to change its email address to {0}. If it was not you, change your password at once and contact the platform.", newEmail])}</p>", ct);
        logger.LogInformation("User {UserId} asked to change their email address", user.Id);
        SentTo = newEmail;
        return Page();
    }
}
