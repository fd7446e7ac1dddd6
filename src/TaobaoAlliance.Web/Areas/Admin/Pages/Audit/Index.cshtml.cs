using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Audit;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Audit;

/// <summary>The audit log: who changed what and when, newest first, filtered by action and by the thing changed.</summary>
public sealed class IndexModel(AllianceDbContext db) : PageModel
{
    public const int PageSize = 50;

    public sealed record EntryView(long Id, DateTimeOffset At, string? Actor, string? ActorEmail, string Action, string EntityType, string EntityId,
        string? Details);

    [BindProperty(SupportsGet = true, Name = "action")] public string? ActionFilter { get; set; }
    [BindProperty(SupportsGet = true, Name = "entity")] public string? EntityType { get; set; }
    [BindProperty(SupportsGet = true, Name = "id")] public string? EntityId { get; set; }
    [BindProperty(SupportsGet = true, Name = Pager.PageParameter)] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<string> Actions { get; private set; } = [];
    public IReadOnlyList<string> EntityTypes { get; private set; } = [];
    public IReadOnlyList<EntryView> Entries { get; private set; } = [];
    public Pager Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Actions = await db.AuditLog.Select(a => a.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
        EntityTypes = await db.AuditLog.Select(a => a.EntityType).Distinct().OrderBy(a => a).ToListAsync(ct);

        var query = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrEmpty(ActionFilter)) query = query.Where(a => a.Action == ActionFilter);
        if (!string.IsNullOrEmpty(EntityType)) query = query.Where(a => a.EntityType == EntityType);
        if (!string.IsNullOrWhiteSpace(EntityId))
        {
            var id = EntityId.Trim();
            query = query.Where(a => a.EntityId == id);
        }

        Pager = new Pager(PageNumber, PageSize, await query.CountAsync(ct), "/Admin/Audit",
            new Dictionary<string, string?> { ["action"] = ActionFilter, ["entity"] = EntityType, ["id"] = EntityId });
        Entries = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip(Pager.Skip).Take(PageSize)
            .Select(a => new EntryView(a.Id, a.At,
                db.Users.Where(u => u.Id == a.ActorUserId).Select(u => u.DisplayName).FirstOrDefault(),
                db.Users.Where(u => u.Id == a.ActorUserId).Select(u => u.Email).FirstOrDefault(),
                a.Action, a.EntityType, a.EntityId, a.Details))
            .ToListAsync(ct);
    }
}
