using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Notifications;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Notifications;

namespace TaobaoAlliance.Web.Pages.Notifications;

/// <summary>
/// Per kind of notification the user's role receives: in-app is always on, email on or off (on until turned off).
/// A kind the user cannot receive is a form error and saves nothing.
/// </summary>
public sealed class PreferencesModel(AllianceDbContext db, NotificationTexts texts, IStringLocalizer<NotificationResource> localizer) : PageModel
{
    public static readonly NotificationKind[] WebmasterKinds =
        [NotificationKind.SiteDecision, NotificationKind.PlanDecision, NotificationKind.PayoutDecision, NotificationKind.CommissionConfirmed, NotificationKind.CommissionReversed];

    public static readonly NotificationKind[] SellerKinds = [NotificationKind.WalletLow, NotificationKind.CampaignStopped, NotificationKind.ItemDelisted, NotificationKind.ItemRelisted];

    public sealed record Choice(NotificationKind Kind, string Name, bool Email);

    /// <summary>The kinds whose email is on, as posted by the checkboxes.</summary>
    [BindProperty(Name = "email")] public List<string> EmailOn { get; set; } = [];

    public IReadOnlyList<Choice> Choices { get; private set; } = [];
    public bool Saved { get; private set; }

    private NotificationKind[] Kinds() =>
        [.. (User.IsInRole(Roles.Webmaster) ? WebmasterKinds : []).Concat(User.IsInRole(Roles.Seller) ? SellerKinds : [])];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var kinds = Kinds();
        var on = new HashSet<NotificationKind>();
        foreach (var value in EmailOn)
        {
            if (!Enum.TryParse<NotificationKind>(value, ignoreCase: false, out var kind) || !kinds.Contains(kind))
            {
                ModelState.AddModelError("", localizer["“{0}” is not a kind of notification you receive.", value]);
                await LoadAsync(ct);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }
            on.Add(kind);
        }
        var me = User.UserId();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.NotificationPreferences.Where(p => p.UserId == me && kinds.Contains(p.Kind)).ExecuteDeleteAsync(ct);
        db.NotificationPreferences.AddRange(kinds.Select(k => new NotificationPreference { UserId = me, Kind = k, Email = on.Contains(k) }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        Saved = true;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var me = User.UserId();
        var off = (await db.NotificationPreferences.AsNoTracking().Where(p => p.UserId == me && !p.Email).Select(p => p.Kind).ToListAsync(ct)).ToHashSet();
        Choices = [.. Kinds().Select(k => new Choice(k, texts.KindName(k), !off.Contains(k)))];
    }
}
