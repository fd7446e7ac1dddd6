using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Sites;

namespace TaobaoAlliance.Application.Sites;

/// <summary>Which sites the review queue shows: one state (null for every state), words to look for, and the page (1-based).</summary>
public sealed record SiteQueueRequest(SiteState? State, string? Search, int PageNumber);

/// <summary>One page of the review queue, how many sites match in all, and how many sites are in each state.</summary>
public sealed record SiteQueuePage(IReadOnlyList<SiteQueuePage.SiteView> Sites, int Total, IReadOnlyDictionary<SiteState, int> CountByState)
{
    /// <summary>An earlier decision on the site, with the admin who took it.</summary>
    public sealed record ReviewView(SiteState? From, SiteState To, string? Reason, string? Actor, DateTimeOffset At);

    /// <summary>What an admin needs to decide on a site: owner, address, category, claimed against measured traffic, verification, history.</summary>
    public sealed record SiteView(
        long Id, string Name, string Url, string Description, string OwnerName, string OwnerEmail, string CategoryEn, string CategoryZh,
        int ClaimedDailyVisitors, DateTimeOffset? VerifiedAt, SiteState State, string? StateReason, DateTimeOffset CreatedAt,
        int MeasuredClicks, int MeasuredDays, IReadOnlyList<ReviewView> Reviews)
    {
        public decimal ClicksPerDay => Math.Round((decimal)MeasuredClicks / MeasuredDays, 1, MidpointRounding.AwayFromZero);

        /// <summary>Only http(s) addresses become links; anything else (javascript:, data:) stays text.</summary>
        public bool UrlIsLink => Uri.TryCreate(Url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

        public bool Can(SiteDecision decision) => SiteReviewRules.Target(decision, State, VerifiedAt is not null) is not null;
    }
}

/// <summary>
/// The admins' site review queue: sites oldest first (the ones waiting longest at the top), filtered by state
/// and by words in the name, URL or owner, with valid clicks measured over the last <see cref="MeasuredDays"/>
/// days and every earlier decision.
/// </summary>
public sealed class SitesForReview(AllianceDbContext db, TimeProvider clock)
{
    public const int PageSize = 20;
    public const int MeasuredDays = 30;

    public async Task<SiteQueuePage> ReadAsync(SiteQueueRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var countByState = await db.Sites.GroupBy(s => s.State).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);

        var query = db.Sites.AsNoTracking();
        if (request.State is { } state) query = query.Where(s => s.State == state);
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            var pattern = SearchPattern.Containing(request.Search);
            query = query.Where(s => EF.Functions.ILike(s.Name, pattern) || EF.Functions.ILike(s.Url, pattern)
                || EF.Functions.ILike(s.Webmaster.User.Email!, pattern) || EF.Functions.ILike(s.Webmaster.User.DisplayName, pattern));
        }

        var total = await query.CountAsync(ct);
        // A page past the end shows the last one, as the pager links do.
        var page = Math.Clamp(request.PageNumber, 1, Math.Max(1, (total + PageSize - 1) / PageSize));
        var rows = await query
            .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Select(s => new
            {
                s.Id, s.Name, s.Url, s.Description, OwnerName = s.Webmaster.User.DisplayName, OwnerEmail = s.Webmaster.User.Email ?? "",
                CategoryEn = s.Category.NameEn, CategoryZh = s.Category.NameZh, s.ClaimedDailyVisitors, s.VerifiedAt, s.State,
                s.StateReason, s.CreatedAt,
            })
            .ToListAsync(ct);

        var ids = rows.Select(r => r.Id).ToList();
        var since = now.AddDays(-MeasuredDays);
        // Whole China days from the click rollups, the part-day at the window's start from the clicks' (site, time) index.
        var window = new RollupWindow(since);
        var today = ChinaTime.DayOf(now);
        var clicks = (await db.ClickDaySites.Where(r => ids.Contains(r.SiteId) && r.Day >= window.FirstWholeDay && r.Day <= today)
                .GroupBy(r => r.SiteId).Select(g => new { SiteId = g.Key, Count = g.Sum(r => r.Valid) })
                .ToListAsync(ct))
            .Concat(await db.Clicks.Where(c => ids.Contains(c.SiteId) && c.IsValid && c.OccurredAt >= since && c.OccurredAt < window.FirstWholeDayStart)
                .GroupBy(c => c.SiteId).Select(g => new { SiteId = g.Key, Count = g.LongCount() })
                .ToListAsync(ct))
            .GroupBy(x => x.SiteId)
            .ToDictionary(g => g.Key, g => (int)g.Sum(x => x.Count));
        var reviews = (await db.SiteReviews.AsNoTracking().Where(r => ids.Contains(r.SiteId))
                .OrderBy(r => r.At).ThenBy(r => r.Id)
                .Select(r => new
                {
                    r.SiteId, r.FromState, r.ToState, r.Reason, r.At,
                    Actor = db.Users.Where(u => u.Id == r.ActorUserId).Select(u => u.DisplayName).FirstOrDefault(),
                })
                .ToListAsync(ct))
            .ToLookup(r => r.SiteId, r => new SiteQueuePage.ReviewView(r.FromState, r.ToState, r.Reason, r.Actor, r.At));

        var sites = rows.Select(r => new SiteQueuePage.SiteView(r.Id, r.Name, r.Url, r.Description, r.OwnerName, r.OwnerEmail, r.CategoryEn,
            r.CategoryZh, r.ClaimedDailyVisitors, r.VerifiedAt, r.State, r.StateReason, r.CreatedAt, clicks.GetValueOrDefault(r.Id),
            // A site younger than the window is measured over the days it has existed.
            Math.Clamp((int)Math.Ceiling((now - r.CreatedAt).TotalDays), 1, MeasuredDays),
            reviews[r.Id].ToList())).ToList();
        return new(sites, total, countByState);
    }
}
