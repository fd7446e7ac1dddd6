using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Hosting;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Mail;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>
/// Sends a password-reset link. The answer is the same whether or not the address has an account,
/// so the page cannot be used to find out who is registered.
/// The link is built on the configured public origin: the request's Host header is the sender's to choose,
/// and a reset link to their host would hand them the code.
/// </summary>
[EnableRateLimiting(RateLimits.AccountForms)]
public sealed class ForgotPasswordModel(
    UserManager<AllianceUser> users, IEmailSender email, IOptions<PublicSiteOptions> site, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public sealed class ForgotInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";
    }

    [BindProperty] public ForgotInput Input { get; set; } = new();
    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        var user = await users.FindByEmailAsync(Input.Email.Trim());
        if (user is { DisabledAt: null })
        {
            var token = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
            var link = site.Value.Absolute(Url.Page("/Account/ResetPassword", new { email = user.Email, code = token })!);
            await email.SendAsync(user.Email!, localizer["Reset your TaobaoAlliance password"],
                $"<p>{HtmlEncoder.Default.Encode(localizer["Someone asked to reset the password of this account. If it was you, open this link:"])}</p>"
                + $"<p><a href=\"{HtmlEncoder.Default.Encode(link)}\">{HtmlEncoder.Default.Encode(link)}</a></p>", ct);
        }
        Sent = true;
        return Page();
    }
}
