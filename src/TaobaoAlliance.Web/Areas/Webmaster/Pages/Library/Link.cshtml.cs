using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Library;
using TaobaoAlliance.Application.Links;
using TaobaoAlliance.Attribution.Links;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Links;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Webmaster.Pages.Library;

/// <summary>
/// "Get link" for an item and a zone. The library's modal posts to the JSON handler; without JavaScript
/// this page does the same: pick a zone, post, and read the snippets. GET never writes. The QR code of a
/// link is served here too, only to the link's owner.
/// </summary>
public sealed class LinkModel(LinkService links, ItemLibrary library, CurrentActor me, IStringLocalizer<SharedResource> localizer) : PageModel
{
    /// <summary>What the snippets partial shows, and what the JSON handler answers.</summary>
    public sealed record LinkView(LinkSnippets Snippets, string QrUrl, string Pid, string SiteName, string ZoneName, bool IsPaused, bool Created);

    [BindProperty(SupportsGet = true, Name = "item")] public long? ItemId { get; set; }
    [BindProperty(SupportsGet = true, Name = "zone")] public long? ZoneId { get; set; }

    public LibraryItemCard? Item { get; private set; }
    public IReadOnlyList<ZoneOption> Zones { get; private set; } = [];
    public LinkView? Link { get; private set; }

    /// <summary>Why no link can be shown for the chosen zone.</summary>
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        if (!await LoadAsync(webmasterId, ct)) return NotFound();
        if (ZoneId is not { } zoneId) return Page();
        if (Zones.All(z => z.Id != zoneId))
        {
            if (!await library.OwnsZoneAsync(webmasterId, zoneId, ct)) return NotFound();
            return RefusedPage(LinkRefusal.SiteNotApproved);
        }
        if (await links.FindAsync(webmasterId, zoneId, ItemId!.Value, ct) is { } link) Link = View(link, created: false);
        return Page();
    }

    /// <summary>The form without JavaScript: makes (or finds) the link, then shows it on this page.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        if (ItemId is not { } itemId || ZoneId is not { } zoneId)
        {
            if (!await LoadAsync(webmasterId, ct)) return NotFound();
            Problem = localizer["Choose a zone."];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var outcome = await links.GetOrCreateAsync(webmasterId, zoneId, itemId, ct);
        if (outcome.Refusal != LinkRefusal.None)
        {
            if (outcome.Refusal is LinkRefusal.ZoneNotFound or LinkRefusal.ItemNotFound || !await LoadAsync(webmasterId, ct)) return NotFound();
            return RefusedPage(outcome.Refusal);
        }
        return RedirectToPage(new { item = itemId, zone = zoneId });
    }

    /// <summary>The library's modal: the same, answered as JSON (problem+json when refused).</summary>
    public async Task<IActionResult> OnPostJsonAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return Refused(StatusCodes.Status404NotFound, localizer["Not found."]);
        if (ItemId is not { } itemId || ZoneId is not { } zoneId || !ModelState.IsValid)
        {
            return Refused(StatusCodes.Status400BadRequest, localizer["Choose a zone."]);
        }
        var outcome = await links.GetOrCreateAsync(webmasterId, zoneId, itemId, ct);
        return outcome.Refusal switch
        {
            LinkRefusal.None => Answer(outcome),
            LinkRefusal.SiteNotApproved => Refused(StatusCodes.Status400BadRequest, LinkMessages.Refused(outcome.Refusal, localizer)),
            _ => Refused(StatusCodes.Status404NotFound, LinkMessages.Refused(outcome.Refusal, localizer)),
        };
    }

    /// <summary>The QR code of the webmaster's own short link; any other code is not found.</summary>
    public async Task<IActionResult> OnGetQrAsync(string? code, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(code) || code.Length > 16) return NotFound();
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        if (await links.FindByCodeAsync(webmasterId, code, ct) is not { } link) return NotFound();
        Response.Headers.CacheControl = "private, max-age=86400";
        return File(LinkQrCode.Png(LinkSnippets.ShortUrlOf(link.Code, Origin)), "image/png");
    }

    private JsonResult Answer(LinkOutcome outcome)
    {
        var view = View(outcome.Link!, outcome.Created);
        return new JsonResult(new
        {
            view.Snippets.ShortUrl, view.Snippets.LongUrl, view.Snippets.TextLink, view.Snippets.ImageCard, view.QrUrl,
            view.Pid, view.SiteName, view.ZoneName, view.IsPaused, view.Created,
            Where = localizer["{0} · {1} · PID {2}", view.SiteName, view.ZoneName, view.Pid].Value,
        });
    }

    private static ObjectResult Refused(int status, string detail) =>
        new(new ProblemDetails { Status = status, Title = status == 404 ? "Not found" : "Link refused", Detail = detail })
        {
            StatusCode = status,
            ContentTypes = { "application/problem+json" },
        };

    private PageResult RefusedPage(LinkRefusal refusal)
    {
        Problem = LinkMessages.Refused(refusal, localizer);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private LinkView View(LinkDetails link, bool created)
    {
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        var snippets = link.Snippets(Origin, zh ? link.TitleZh : link.TitleEn);
        var qrUrl = Url.Page("/Library/Link", new { area = "Webmaster" }) + "?handler=Qr&code=" + Uri.EscapeDataString(link.Code);
        return new LinkView(snippets, qrUrl, link.Pid.ToString(), link.SiteName, link.ZoneName, link.IsPaused, created);
    }

    private Uri Origin => Request.Origin();

    /// <summary>The item (listed) and the webmaster's zones on approved sites; false when the item is not there.</summary>
    private async Task<bool> LoadAsync(long webmasterId, CancellationToken ct)
    {
        if (ItemId is not { } itemId) return false;
        Item = await library.ItemAsync(itemId, CultureInfo.CurrentUICulture.IsChinese(), ct);
        if (Item is null) return false;
        Zones = await library.ZonesAsync(webmasterId, ct);
        return true;
    }
}
