using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Hosting;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Mail;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>
/// The account emails with a link in them. Links are built on the configured public origin, never on the request's
/// Host header (the sender's to choose: a link to their host would hand them the token).
/// </summary>
public static class AccountEmails
{
    public static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    /// <summary>The token of a link, or null when it is not what <see cref="Encode"/> makes.</summary>
    public static string? Decode(string? code)
    {
        if (string.IsNullOrEmpty(code)) return null;
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static async Task SendConfirmationAsync(UserManager<AllianceUser> users, IEmailSender email, PublicSiteOptions site, IUrlHelper url,
        IStringLocalizer<SharedResource> localizer, AllianceUser user, string? returnUrl, CancellationToken ct)
    {
        var code = Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        var link = site.Absolute(url.Page("/Account/ConfirmEmail", new { userId = user.Id, code, returnUrl })!);
        await email.SendAsync(user.Email!, localizer["Confirm your TaobaoAlliance email address"],
            $"<p>{HtmlEncoder.Default.Encode(localizer["Welcome to TaobaoAlliance. To finish opening your account, confirm this address by opening this link:"])}</p>"
            + $"<p><a href=\"{HtmlEncoder.Default.Encode(link)}\">{HtmlEncoder.Default.Encode(link)}</a></p>"
            + $"<p>{HtmlEncoder.Default.Encode(localizer["If you did not sign up, ignore this email."])}</p>", ct);
    }
}
