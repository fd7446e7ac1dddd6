using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Hosting;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>
/// The link of the confirmation email: confirms the address when the token is the user's, then offers sign-in
/// (going on to where the user was headed at sign-up); or, with <c>newEmail</c>, changes the address to the one the
/// link was sent to. A wrong or stale link changes nothing and says so.
/// </summary>
[EnableRateLimiting(RateLimits.AccountForms)]
public sealed class ConfirmEmailModel(UserManager<AllianceUser> users, ILogger<ConfirmEmailModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true)] public long UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    /// <summary>Set on the link of a change of address (<see cref="ChangeEmailModel"/>): the address to change to.</summary>
    [BindProperty(SupportsGet = true)] public string? NewEmail { get; set; }

    public bool Confirmed { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Url.IsLocalUrl(ReturnUrl)) ReturnUrl = null;
        var token = AccountEmails.Decode(Code);
        var user = token is null ? null : await users.FindByIdAsync(UserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (user is null || token is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        IdentityResult result;
        if (NewEmail is null)
        {
            result = await users.ConfirmEmailAsync(user, token);
        }
        else
        {
            // The user name is the address (sign-in looks the account up by email): both change together.
            result = await users.ChangeEmailAsync(user, NewEmail, token);
            if (result.Succeeded) result = await users.SetUserNameAsync(user, NewEmail);
        }
        Confirmed = result.Succeeded;
        if (!Confirmed) Response.StatusCode = StatusCodes.Status400BadRequest;
        else logger.LogInformation("User {UserId} confirmed their email address", user.Id);
        return Page();
    }
}
