using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Sites;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Webmaster.Pages.Sites;

/// <summary>Texts the platform itself writes into a site's history, shown in the reader's language.</summary>
public static class SiteText
{
    /// <summary>
    /// The platform's own reasons are translated; an admin's reason is shown as they wrote it
    /// (Razor encodes it: it is typed text).
    /// </summary>
    public static string? Reason(string? reason, IStringLocalizer<SharedResource> localizer) =>
        reason is SiteHistoryNotes.Registered or SiteHistoryNotes.OwnershipVerified ? localizer[reason] : reason;
}
