using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Links;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Links;

/// <summary>A refused link in the webmaster's language.</summary>
public static class LinkMessages
{
    public static string Refused(LinkRefusal refusal, IStringLocalizer<SharedResource> localizer)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        return refusal switch
        {
            LinkRefusal.SiteNotApproved => localizer["This zone's site is not approved, so its links could not earn. Choose a zone of an approved site."],
            LinkRefusal.ItemNotFound => localizer["This item is no longer in the library."],
            _ => localizer["Not found."],
        };
    }
}
