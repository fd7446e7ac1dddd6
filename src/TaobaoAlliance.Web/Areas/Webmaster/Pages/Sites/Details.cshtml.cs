using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Sites;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Links;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Webmaster.Pages.Sites;

/// <summary>
/// One of the webmaster's sites: the ownership check (token, tag, instructions, "verify now") and the
/// site's ad zones with their PIDs. Another webmaster's site is not found.
/// </summary>
public sealed class DetailsModel(
    WebmasterSiteDetails details,
    SiteOwnership ownership,
    SiteZones zones,
    CurrentActor me,
    IStringLocalizer<SharedResource> localizer) : PageModel
{
    public sealed class ZoneInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(100, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Zone name")]
        public string Name { get; set; } = "";

        [Display(Name = "Smart zone")]
        public bool IsSmart { get; set; }
    }

    public SiteDetails.SiteView Site { get; private set; } = null!;
    public IReadOnlyList<SiteDetails.ZoneView> Zones { get; private set; } = [];
    public IReadOnlyList<SiteDetails.ReviewView> Reviews { get; private set; } = [];

    /// <summary>The exact tag to paste into the home page's &lt;head&gt;.</summary>
    public string MetaTag => SiteVerification.MetaTag(Site.VerificationToken);

    public ZoneInput Zone { get; private set; } = new();

    /// <summary>Why "verify now" did not succeed, shown next to the button.</summary>
    public string? VerifyError { get; private set; }

    [TempData(Key = "SiteMessage")] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        return await LoadAsync(id, webmasterId, ct) ? Page() : NotFound();
    }

    /// <summary>Fetches the home page and looks for the token; success records the time, failure changes nothing.</summary>
    public async Task<IActionResult> OnPostVerifyAsync(long id, CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        var outcome = await ownership.VerifyAsync(id, webmasterId, me.UserId, ct);
        switch (outcome.Check)
        {
            case OwnershipCheck.NoSuchSite:
                return NotFound();
            case OwnershipCheck.Verified:
                Message = outcome.Site!.State == SiteState.Pending
                    ? localizer["Verified — pending review. An admin will decide soon."]
                    : localizer["Verified."];
                return RedirectToPage(new { id });
            default:
                VerifyError = outcome.Check == OwnershipCheck.Unreachable
                    ? localizer["We could not read your home page: {0}", outcome.FetchError!]
                    : localizer["Your home page does not carry the verification tag yet. Check that the tag is inside <head>, that the page is published, and try again."];
                await LoadAsync(id, webmasterId, ct);
                return Page();
        }
    }

    public async Task<IActionResult> OnPostAddZoneAsync(long id, [Bind(Prefix = "Zone")] ZoneInput zone, CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        Zone = zone;
        if (ModelState.IsValid)
        {
            var outcome = await zones.AddAsync(id, webmasterId, zone.Name ?? "", zone.IsSmart, ct);
            switch (outcome.Refusal)
            {
                case null:
                    Message = localizer["Zone “{0}” added. Its PID is {1}.", outcome.Zone!.Name, outcome.Pid!];
                    return RedirectToPage(new { id });
                case ZoneRefusal.TooManyZones:
                    ModelState.AddModelError("", localizer["A site can have at most {0} zones.", SiteZones.MaxZonesPerSite]);
                    break;
                case ZoneRefusal.NameTaken:
                    ModelState.AddModelError("Zone.Name", localizer["This site already has a zone with that name."]);
                    break;
                default:
                    return NotFound();
            }
        }
        return await LoadAsync(id, webmasterId, ct) ? Page() : NotFound();
    }

    /// <summary>
    /// Turns a zone into a smart zone (filled by the CPC auction) or back into a standard one. Only the
    /// webmaster's own zone of this site: anything else is not found.
    /// </summary>
    public async Task<IActionResult> OnPostToggleSmartAsync(long id, long zoneId, CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        var outcome = await zones.ToggleSmartAsync(id, zoneId, webmasterId, me.UserId, ct);
        if (outcome.Zone is not { } changed) return NotFound();
        Message = changed.IsSmart
            ? localizer["“{0}” is now a smart zone: paste its embed code into your page.", changed.Name]
            : localizer["“{0}” is now a standard zone: remove its embed code from your page.", changed.Name];
        return RedirectToPage(null, null, new { id }, "zone-" + changed.Id.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Where this app is reached, for the smart zones' embed code (the address the webmaster is using).</summary>
    public string Origin => Request.Origin().GetLeftPart(UriPartial.Authority);

    /// <summary>The iframe a webmaster pastes for a smart zone; the ad is a 300 × 250 medium rectangle.</summary>
    public string IframeCode(long zoneId) =>
        $"<iframe src=\"{Origin}/z/{zoneId.ToString(CultureInfo.InvariantCulture)}\" width=\"300\" height=\"250\" loading=\"lazy\" "
        + $"title=\"{System.Net.WebUtility.HtmlEncode(localizer["Advertisement"].Value)}\" scrolling=\"no\" style=\"border:0;overflow:hidden\"></iframe>";

    /// <summary>The script alternative: it writes the same iframe where the tag stands.</summary>
    public string ScriptCode(long zoneId) =>
        $"<script async src=\"{Origin}/z/{zoneId.ToString(CultureInfo.InvariantCulture)}/embed.js\"></script>";

    private async Task<bool> LoadAsync(long id, long webmasterId, CancellationToken ct)
    {
        if (await details.ReadAsync(id, webmasterId, CultureInfo.CurrentUICulture.IsChinese(), ct) is not { } found) return false;
        (Site, Zones, Reviews) = (found.Site, found.Zones, found.Reviews);
        return true;
    }
}
