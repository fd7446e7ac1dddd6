using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Accounts;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Hosting;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>
/// Where an admin invitation's link leads (<see cref="AdminInvites"/>). An address with no account yet sets a name and a
/// password and becomes an admin (signed in, then sent to set up two-factor sign-in, which the admin area requires); an
/// address that has an account signs in as it and accepts. A used, expired or unknown link says so and does nothing.
/// </summary>
[EnableRateLimiting(RateLimits.AccountForms)]
public sealed class AcceptInviteModel(AdminInvites invites, UserManager<AllianceUser> users, SignInManager<AllianceUser> signIn,
    IStringLocalizer<SharedResource> localizer, ILogger<AcceptInviteModel> logger) : PageModel
{
    public sealed class NewAdminInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(64, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Display name")]
        public string DisplayName { get; set; } = "";

        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(100, MinimumLength = 8, ErrorMessage = "{0} must be {2} to {1} characters long.")]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = "";

        [Required(ErrorMessage = "{0} is required.")]
        [Compare(nameof(Password), ErrorMessage = "The two passwords do not match.")]
        [DataType(DataType.Password)]
        [Display(Name = "Confirm password")]
        public string ConfirmPassword { get; set; } = "";
    }

    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public NewAdminInput Input { get; set; } = new();

    public InviteLookup Invite { get; private set; } = new(InviteState.Unknown, null, false);
    /// <summary>The signed-in user's email, when someone is signed in.</summary>
    public string? SignedInAs { get; private set; }
    public bool SignedInAsInvitee => Invite.Email is not null && SignedInAs is not null
        && string.Equals(users.NormalizeEmail(SignedInAs), users.NormalizeEmail(Invite.Email), StringComparison.Ordinal);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>A new account for an address that has none.</summary>
    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }
        var outcome = await invites.AcceptNewAsync(Token, Input.DisplayName, Input.Password, System.Globalization.CultureInfo.CurrentUICulture.Name, ct);
        if (!outcome.Succeeded)
        {
            if (outcome.Refusal == AcceptRefusal.Password)
            {
                foreach (var message in IdentityMessages.Describe(outcome.Errors ?? [], localizer)) ModelState.AddModelError("", message);
            }
            else if (outcome.Refusal == AcceptRefusal.AccountExists)
            {
                ModelState.AddModelError("", localizer["This address already has an account: sign in as it to accept the invitation."]);
            }
            await LoadAsync(ct);
            return Page();
        }
        if (User.Identity?.IsAuthenticated == true) await signIn.SignOutAsync();
        await signIn.SignInAsync(outcome.User!, isPersistent: false);
        logger.LogInformation("New admin {UserId} signed in after accepting an invitation", outcome.User!.Id);
        return RedirectToPage("/Account/TwoFactor", new { returnUrl = "/Admin" });
    }

    /// <summary>The signed-in user accepts an invitation sent to their address.</summary>
    public async Task<IActionResult> OnPostAcceptAsync(CancellationToken ct)
    {
        if (User.TryUserId() is not { } userId) return Challenge();
        var outcome = await invites.AcceptExistingAsync(Token, userId, ct);
        if (!outcome.Succeeded)
        {
            if (outcome.Refusal is AcceptRefusal.OtherAccount or AcceptRefusal.NoAccount)
            {
                ModelState.AddModelError("", localizer["This invitation is for another address. Sign out, then sign in as the invited address."]);
            }
            else if (outcome.Refusal == AcceptRefusal.AccountDisabled)
            {
                ModelState.AddModelError("", localizer["This account has been disabled. Contact the platform if you think this is a mistake."]);
            }
            await LoadAsync(ct);
            return Page();
        }
        // The new role is in a new cookie; the admin area then asks for two-factor sign-in.
        await signIn.RefreshSignInAsync(outcome.User!);
        return RedirectToPage("/Account/TwoFactor", new { returnUrl = "/Admin" });
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Invite = await invites.ReadAsync(Token, ct);
        if (User.TryUserId() is { } userId) SignedInAs = (await users.FindByIdAsync(userId.ToString(System.Globalization.CultureInfo.InvariantCulture)))?.Email;
    }

    public string StateMessage => Invite.State switch
    {
        InviteState.Expired => localizer["This invitation has expired. Ask an admin to invite you again."],
        InviteState.Used => localizer["This invitation has already been used."],
        _ => localizer["This invitation link is not valid. Check that you opened the whole link from the email."],
    };
}
