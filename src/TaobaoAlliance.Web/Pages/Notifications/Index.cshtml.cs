using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Notifications;

namespace TaobaoAlliance.Web.Pages.Notifications;

/// <summary>
/// The signed-in user's notifications, newest first, in the language of the page (they are stored as kinds and
/// arguments); mark one or all read. Only ever the user's own rows: someone else's id is a 404 and changes nothing.
/// </summary>
public sealed class IndexModel(AllianceDbContext db, NotificationTexts texts, TimeProvider clock) : PageModel
{
    public const int Shown = 50;

    public sealed record Row(long Id, NotificationText Text, DateTimeOffset CreatedAt, bool Unread);

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public int Unread { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var me = User.UserId();
        var rows = await db.Notifications.AsNoTracking().Where(n => n.UserId == me)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(Shown)
            .Select(n => new { n.Id, n.Kind, n.Arguments, n.CreatedAt, n.ReadAt }).ToListAsync(ct);
        Rows = [.. rows.Select(n => new Row(n.Id, texts.Render(n.Kind, n.Arguments, CultureInfo.CurrentUICulture), n.CreatedAt, n.ReadAt is null))];
        Unread = await db.Notifications.CountAsync(n => n.UserId == me && n.ReadAt == null, ct);
    }

    public async Task<IActionResult> OnPostReadAsync(long id, CancellationToken ct)
    {
        var me = User.UserId();
        if (!await db.Notifications.AnyAsync(n => n.Id == id && n.UserId == me, ct)) return NotFound();
        var now = clock.GetUtcNow();
        await db.Notifications.Where(n => n.Id == id && n.UserId == me && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken ct)
    {
        var me = User.UserId();
        var now = clock.GetUtcNow();
        await db.Notifications.Where(n => n.UserId == me && n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        return RedirectToPage();
    }
}
