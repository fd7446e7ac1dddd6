using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Npgsql;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Hosting;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Mail;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>The kinds of account anyone may open. Admin is deliberately not one of them.</summary>
public enum AccountType { Buyer, Webmaster, Seller }

/// <summary>
/// Opens a buyer, webmaster or seller account: the user, its role and (for webmasters and sellers)
/// the row that owns their sites or shops, all in one transaction, then mails a confirmation link. Nobody is signed
/// in until the address is confirmed: an affiliate network sends money notices and password resets to that address,
/// so it must belong to the person (and a typo must not hand someone else the account).
/// </summary>
[EnableRateLimiting(RateLimits.AccountForms)]
public sealed class SignUpModel(
    AllianceDbContext db,
    UserManager<AllianceUser> users,
    IEmailSender mail,
    IOptions<PublicSiteOptions> site,
    TimeProvider clock,
    IStringLocalizer<SharedResource> localizer,
    ILogger<SignUpModel> logger) : PageModel
{
    public sealed class SignUpInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [StringLength(256, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";

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

        [Required(ErrorMessage = "Choose an account type.")]
        [Display(Name = "Account type")]
        public AccountType? AccountType { get; set; } = Account.AccountType.Buyer;
    }

    [BindProperty] public SignUpInput Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    /// <summary>The address the confirmation link went to, once the account is open.</summary>
    public string? SentTo { get; private set; }

    /// <param name="as">The account type to preselect (the home page's "earn" and "advertise" buttons ask for one).</param>
    public void OnGet([FromQuery(Name = "as")] AccountType? @as)
    {
        if (!Url.IsLocalUrl(ReturnUrl)) ReturnUrl = null;
        if (@as is { } type && Enum.IsDefined(type)) Input.AccountType = type;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!Url.IsLocalUrl(ReturnUrl)) ReturnUrl = null;
        if (!ModelState.IsValid) return Page();
        var role = Input.AccountType switch
        {
            AccountType.Buyer => Roles.Buyer,
            AccountType.Webmaster => Roles.Webmaster,
            AccountType.Seller => Roles.Seller,
            _ => null,
        };
        if (role is null)
        {
            ModelState.AddModelError("Input.AccountType", localizer["Choose an account type."]);
            return Page();
        }

        var now = clock.GetUtcNow();
        var email = Input.Email.Trim();
        var user = new AllianceUser { UserName = email, Email = email, DisplayName = Input.DisplayName.Trim(), CreatedAt = now,
            Language = System.Globalization.CultureInfo.CurrentUICulture.Name }; // emails and notices are written in it
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var created = await users.CreateAsync(user, Input.Password);
            if (!created.Succeeded)
            {
                foreach (var message in IdentityMessages.Describe(created.Errors, localizer)) ModelState.AddModelError("", message);
                return Page(); // the transaction rolls back as it is disposed
            }
            var inRole = await users.AddToRoleAsync(user, role);
            if (!inRole.Succeeded)
            {
                throw new InvalidOperationException($"Could not add the new user to role {role}: "
                    + string.Join("; ", inRole.Errors.Select(e => e.Description)));
            }
            if (role == Roles.Webmaster) db.Webmasters.Add(new Webmaster { UserId = user.Id, CreatedAt = now });
            if (role == Roles.Seller) db.Sellers.Add(new Seller { UserId = user.Id, CreatedAt = now });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Two sign-ups with the same email at the same moment: the database's unique index decides.
            ModelState.AddModelError("", localizer["An account with this email already exists."]);
            return Page();
        }

        logger.LogInformation("New {Role} account {UserId}", role, user.Id);
        // The confirmation link carries where the first sign-in lands.
        await AccountEmails.SendConfirmationAsync(users, mail, site.Value, Url, localizer, user, Landing(role, ReturnUrl), ct);
        SentTo = user.Email;
        return Page();
    }

    /// <summary>
    /// Where a new account lands: a webmaster or seller in their centre, where the first-steps checklist starts (the
    /// page they signed up from is usually the storefront, which is not theirs), unless they came from a page of that
    /// centre; a buyer goes back to the page they came from.
    /// </summary>
    internal static string Landing(string role, string? returnUrl)
    {
        var centre = role == Roles.Webmaster ? "/Webmaster" : role == Roles.Seller ? "/Seller" : null;
        if (centre is null) return returnUrl ?? "/";
        return returnUrl is not null && (returnUrl.Equals(centre, StringComparison.OrdinalIgnoreCase)
            || returnUrl.StartsWith(centre + "/", StringComparison.OrdinalIgnoreCase)) ? returnUrl : centre;
    }
}
