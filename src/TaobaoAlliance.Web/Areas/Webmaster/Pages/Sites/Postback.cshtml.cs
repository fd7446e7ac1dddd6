using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Hooks;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Hooks;
using TaobaoAlliance.Web.Hooks;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Webmaster.Pages.Sites;

/// <summary>
/// A site's postback: the URL template with macros, the signing secret (shown once when made or rotated) and the
/// delivery log with "send again". Another webmaster's site is not found.
/// </summary>
public sealed class PostbackModel(AllianceDbContext db, HookSettings hooks, CurrentActor me, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public long SiteId { get; private set; }
    public string SiteName { get; private set; } = "";
    public HookEndpointView? Endpoint { get; private set; }
    public HookLogModel Log { get; private set; } = new([], null);

    /// <summary>The template as typed (kept when refused, so the webmaster can fix it).</summary>
    public string Template { get; private set; } = "";

    /// <summary>Why the template was refused, beside the field.</summary>
    public string? Error { get; private set; }

    /// <summary>The secret just made, on this response only.</summary>
    public string? NewSecret { get; private set; }

    [TempData(Key = "PostbackMessage")] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostSaveAsync(long id, string? template, CancellationToken ct)
    {
        if (!await OwnsAsync(id, ct)) return NotFound();
        var outcome = await hooks.SaveAsync(HookKind.Postback, id, me.UserId, template, null, ct);
        if (outcome.Problem is { } problem)
        {
            Error = HookText.Problem(problem, localizer);
            await LoadAsync(id, ct);
            Template = template ?? "";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (outcome.NewSecret is { } secret) return await ShowSecretAsync(id, secret, ct);
        Message = localizer["Postback saved."];
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostRotateAsync(long id, CancellationToken ct)
    {
        if (!await OwnsAsync(id, ct)) return NotFound();
        return await hooks.RotateSecretAsync(HookKind.Postback, id, me.UserId, ct) is { } secret
            ? await ShowSecretAsync(id, secret, ct)
            : NotFound();
    }

    public async Task<IActionResult> OnPostSendAgainAsync(long id, long messageId, CancellationToken ct)
    {
        if (!await OwnsAsync(id, ct)) return NotFound();
        if (!await hooks.SendAgainAsync(HookKind.Postback, id, messageId, ct)) return NotFound();
        Message = localizer["It will be sent again in a moment."];
        return RedirectToPage(new { id });
    }

    private async Task<IActionResult> ShowSecretAsync(long id, string secret, CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store"; // the secret is in this response only
        NewSecret = secret;
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task<bool> OwnsAsync(long siteId, CancellationToken ct) =>
        await me.WebmasterIdAsync(ct) is { } webmasterId && await db.Sites.AnyAsync(s => s.Id == siteId && s.WebmasterId == webmasterId, ct);

    private async Task<bool> LoadAsync(long siteId, CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return false;
        var name = await db.Sites.Where(s => s.Id == siteId && s.WebmasterId == webmasterId).Select(s => s.Name).SingleOrDefaultAsync(ct);
        if (name is null) return false;
        SiteId = siteId;
        SiteName = name;
        Endpoint = await hooks.EndpointAsync(HookKind.Postback, siteId, ct);
        Template = Endpoint?.Url ?? "";
        Log = new(await hooks.LogAsync(HookKind.Postback, siteId, ct), null);
        return true;
    }
}
