using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Mail;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Audit;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Outbox;

/// <summary>
/// The emails the platform sent (in development, the only place they go), newest first. Bodies are
/// shown as their source text, never rendered: they are HTML that may carry what users typed.
/// </summary>
public sealed class IndexModel(AllianceDbContext db) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "to")] public string? To { get; set; }
    [BindProperty(SupportsGet = true, Name = Pager.PageParameter)] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<OutboxEmail> Emails { get; private set; } = [];
    public Pager Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = db.OutboxEmails.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(To))
        {
            var pattern = SearchPattern.Containing(To);
            query = query.Where(e => EF.Functions.ILike(e.To, pattern));
        }
        Pager = new Pager(PageNumber, PageSize, await query.CountAsync(ct), "/Admin/Outbox", new Dictionary<string, string?> { ["to"] = To });
        Emails = await query.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Skip(Pager.Skip).Take(PageSize).ToListAsync(ct);
    }
}
