using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Web.Links;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Areas.Webmaster.Pages.Sites;

/// <summary>The webmaster's own sites: state, ownership check, the admin's reason and every decision so far.</summary>
public sealed class IndexModel(AllianceDbContext db, CurrentActor me) : PageModel
{
    public sealed record ReviewView(SiteState? FromState, SiteState ToState, string? Reason, DateTimeOffset At);

    public sealed record SiteView(long Id, string Name, string Url, string CategoryName, int ClaimedDailyVisitors, SiteState State,
        string? StateReason, DateTimeOffset? VerifiedAt, DateTimeOffset CreatedAt, int ZoneCount, IReadOnlyList<ReviewView> Reviews);

    public IReadOnlyList<SiteView> Sites { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        var rows = await db.Sites.AsNoTracking()
            .Where(s => s.WebmasterId == webmasterId)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Select(s => new
            {
                s.Id, s.Name, s.Url, CategoryName = zh ? s.Category.NameZh : s.Category.NameEn, s.ClaimedDailyVisitors, s.State,
                s.StateReason, s.VerifiedAt, s.CreatedAt, ZoneCount = s.Zones.Count,
                Reviews = s.Reviews.OrderBy(r => r.At).ThenBy(r => r.Id)
                    .Select(r => new ReviewView(r.FromState, r.ToState, r.Reason, r.At)).ToList(),
            })
            .AsSplitQuery()
            .ToListAsync(ct);
        Sites = [.. rows.Select(s => new SiteView(s.Id, s.Name, s.Url, s.CategoryName, s.ClaimedDailyVisitors, s.State, s.StateReason,
            s.VerifiedAt, s.CreatedAt, s.ZoneCount, s.Reviews))];
        return Page();
    }
}
