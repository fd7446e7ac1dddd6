using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>Identity's errors (English only) as messages of the shared resource, by error code.</summary>
internal static class IdentityMessages
{
    public static IEnumerable<string> Describe(IEnumerable<IdentityError> errors, IStringLocalizer<SharedResource> localizer) =>
        errors.Select(e => e.Code switch
            {
                // The user name is the email, so a taken email shows up under both codes: say it once.
                nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)
                    => localizer["An account with this email already exists."].Value,
                nameof(IdentityErrorDescriber.InvalidEmail) or nameof(IdentityErrorDescriber.InvalidUserName)
                    => localizer["Enter a valid email address."].Value,
                nameof(IdentityErrorDescriber.PasswordTooShort) => localizer["The password must be at least 8 characters long."].Value,
                nameof(IdentityErrorDescriber.PasswordRequiresDigit) => localizer["The password needs at least one digit (0-9)."].Value,
                nameof(IdentityErrorDescriber.PasswordRequiresLower) => localizer["The password needs at least one lowercase letter (a-z)."].Value,
                nameof(IdentityErrorDescriber.PasswordRequiresUpper) => localizer["The password needs at least one uppercase letter (A-Z)."].Value,
                nameof(IdentityErrorDescriber.PasswordRequiresNonAlphanumeric) => localizer["The password needs at least one symbol, such as ! or #."].Value,
                _ => e.Description,
            })
            .Distinct();
}
