using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Audit;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Web.Links;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Application.Sites;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Areas.Webmaster.Pages.Sites;

/// <summary>
/// One of the webmaster's sites: the ownership check (token, tag, instructions, "verify now") and the
/// site's ad zones with their PIDs. Another webmaster's site is not found.
/// </summary>
public sealed class DetailsModel(
    AllianceDbContext db,
    CurrentActor me,
    AuditTrail audit,
    SiteOwnership ownership,
    TimeProvider clock,
    IStringLocalizer<SharedResource> localizer,
    ILogger<DetailsModel> logger) : PageModel
{
    /// <summary>Plenty for any real layout; keeps a runaway script from filling the table.</summary>
    public const int MaxZonesPerSite = 50;

    public sealed class ZoneInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(100, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Zone name")]
        public string Name { get; set; } = "";

        [Display(Name = "Smart zone")]
        public bool IsSmart { get; set; }
    }

    public sealed record ZoneView(long Id, string Name, bool IsSmart, Pid Pid, DateTimeOffset CreatedAt, int LinkCount);

    public sealed record ReviewView(SiteState ToState, string? Reason, DateTimeOffset At);

    public sealed record SiteView(long Id, long WebmasterId, string Name, string Url, string CategoryName, int ClaimedDailyVisitors,
        string Description, SiteState State, string? StateReason, string VerificationToken, DateTimeOffset? VerifiedAt);

    public SiteView Site { get; private set; } = null!;
    public IReadOnlyList<ZoneView> Zones { get; private set; } = [];
    public IReadOnlyList<ReviewView> Reviews { get; private set; } = [];

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
        var site = await db.Sites.AsNoTracking().Where(s => s.Id == id && s.WebmasterId == webmasterId)
            .Select(s => new { s.Id, Names = s.Zones.Select(z => z.Name).ToList() }).SingleOrDefaultAsync(ct);
        if (site is null) return NotFound();

        var name = zone.Name?.Trim() ?? "";
        if (ModelState.IsValid && site.Names.Count >= MaxZonesPerSite)
        {
            ModelState.AddModelError("", localizer["A site can have at most {0} zones.", MaxZonesPerSite]);
        }
        if (ModelState.IsValid && site.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            ModelState.AddModelError("Zone.Name", localizer["This site already has a zone with that name."]);
        }
        if (!ModelState.IsValid)
        {
            await LoadAsync(id, webmasterId, ct);
            return Page();
        }

        var created = new AdZone { SiteId = site.Id, Name = name, IsSmart = zone.IsSmart, CreatedAt = clock.GetUtcNow() };
        db.AdZones.Add(created);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Zone {ZoneId} added to site {SiteId}", created.Id, site.Id);
        Message = localizer["Zone “{0}” added. Its PID is {1}.", name, new Pid(webmasterId, site.Id, created.Id)];
        return RedirectToPage(new { id });
    }

    /// <summary>
    /// Turns a zone into a smart zone (filled by the CPC auction) or back into a standard one. Only the
    /// webmaster's own zone of this site: anything else is not found.
    /// </summary>
    public async Task<IActionResult> OnPostToggleSmartAsync(long id, long zoneId, CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        var zone = await db.AdZones.SingleOrDefaultAsync(z => z.Id == zoneId && z.SiteId == id && z.Site.WebmasterId == webmasterId, ct);
        if (zone is null) return NotFound();

        zone.IsSmart = !zone.IsSmart;
        audit.Record(User.UserId(), zone.IsSmart ? "zone.smart" : "zone.standard", "ad_zone", zone.Id, new { zone.SiteId, zone.IsSmart });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Zone {ZoneId} of site {SiteId} is now {ZoneKind}", zone.Id, id, zone.IsSmart ? "smart" : "standard");
        Message = zone.IsSmart
            ? localizer["“{0}” is now a smart zone: paste its embed code into your page.", zone.Name]
            : localizer["“{0}” is now a standard zone: remove its embed code from your page.", zone.Name];
        return RedirectToPage(null, null, new { id }, "zone-" + zone.Id.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Where this app is reached, for the smart zones' embed code (the address the webmaster is using).</summary>
    public string Origin => Request.Scheme + "://" + Request.Host.ToUriComponent();

    /// <summary>The iframe a webmaster pastes for a smart zone; the ad is a 300 × 250 medium rectangle.</summary>
    public string IframeCode(long zoneId) =>
        $"<iframe src=\"{Origin}/z/{zoneId.ToString(CultureInfo.InvariantCulture)}\" width=\"300\" height=\"250\" loading=\"lazy\" "
        + $"title=\"{System.Net.WebUtility.HtmlEncode(localizer["Advertisement"].Value)}\" scrolling=\"no\" style=\"border:0;overflow:hidden\"></iframe>";

    /// <summary>The script alternative: it writes the same iframe where the tag stands.</summary>
    public string ScriptCode(long zoneId) =>
        $"<script async src=\"{Origin}/z/{zoneId.ToString(CultureInfo.InvariantCulture)}/embed.js\"></script>";

    private async Task<bool> LoadAsync(long id, long webmasterId, CancellationToken ct)
    {
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        var site = await db.Sites.AsNoTracking()
            .Where(s => s.Id == id && s.WebmasterId == webmasterId)
            .Select(s => new SiteView(s.Id, s.WebmasterId, s.Name, s.Url, zh ? s.Category.NameZh : s.Category.NameEn, s.ClaimedDailyVisitors,
                s.Description, s.State, s.StateReason, s.VerificationToken, s.VerifiedAt))
            .SingleOrDefaultAsync(ct);
        if (site is null) return false;
        Site = site;
        var zones = await db.AdZones.AsNoTracking().Where(z => z.SiteId == id).OrderBy(z => z.Id)
            .Select(z => new { z.Id, z.Name, z.IsSmart, z.CreatedAt, LinkCount = db.Links.Count(l => l.ZoneId == z.Id) })
            .ToListAsync(ct);
        Zones = [.. zones.Select(z => new ZoneView(z.Id, z.Name, z.IsSmart, new Pid(webmasterId, id, z.Id), z.CreatedAt, z.LinkCount))];
        Reviews = await db.SiteReviews.AsNoTracking().Where(r => r.SiteId == id).OrderBy(r => r.At).ThenBy(r => r.Id)
            .Select(r => new ReviewView(r.ToState, r.Reason, r.At)).ToListAsync(ct);
        return true;
    }
}
