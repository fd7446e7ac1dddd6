using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Orders;

/// <summary>Every order of every shop, newest first; find one by the store's order number or the shop's name.</summary>
public sealed class IndexModel(AllianceDbContext db) : PageModel
{
    public const int PageSize = 25;

    public sealed record OrderRow(long Id, string ExternalOrderId, string ShopName, OrderState State, DateTimeOffset PaidAt, Money Paid,
        string? Webmaster, string? FraudFlag);

    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true, Name = "shop")] public string? Shop { get; set; }
    [BindProperty(SupportsGet = true, Name = "flagged")] public bool FlaggedOnly { get; set; }
    [BindProperty(SupportsGet = true, Name = Pager.PageParameter)] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<OrderRow> Orders { get; private set; } = [];
    public Pager Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = db.Orders.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var pattern = SearchPattern.Containing(Search);
            query = query.Where(o => EF.Functions.ILike(o.ExternalOrderId, pattern));
        }
        if (!string.IsNullOrWhiteSpace(Shop))
        {
            var pattern = SearchPattern.Containing(Shop);
            query = query.Where(o => EF.Functions.ILike(o.Shop.NameEn, pattern) || EF.Functions.ILike(o.Shop.NameZh, pattern)
                || EF.Functions.ILike(o.Shop.Slug, pattern));
        }
        if (FlaggedOnly) query = query.Where(o => o.FraudFlag != null);

        Pager = new Pager(PageNumber, PageSize, await query.CountAsync(ct), "/Admin/Orders",
            new Dictionary<string, string?> { ["q"] = Search, ["shop"] = Shop, ["flagged"] = FlaggedOnly ? "true" : null });
        var chinese = System.Globalization.CultureInfo.CurrentUICulture.IsChinese();
        var rows = await query.OrderByDescending(o => o.PaidAt).ThenByDescending(o => o.Id)
            .Skip(Pager.Skip).Take(PageSize)
            .Select(o => new
            {
                o.Id, o.ExternalOrderId, ShopEn = o.Shop.NameEn, ShopZh = o.Shop.NameZh, o.State, o.PaidAt,
                PaidFen = o.Lines.Sum(l => (decimal)(l.PaidFen - l.RefundedFen)), // numeric: a bigint sum can overflow
                o.AttributedClickId,
                o.FraudFlag,
            })
            .ToListAsync(ct);
        var webmasters = await WebmastersOfAsync(rows.Where(r => r.AttributedClickId is not null).Select(r => r.AttributedClickId!.Value).ToList(), ct);
        Orders = rows.Select(r => new OrderRow(r.Id, r.ExternalOrderId, chinese ? r.ShopZh : r.ShopEn, r.State, r.PaidAt, Money.OfSum(r.PaidFen),
            r.AttributedClickId is { } clickId ? webmasters.GetValueOrDefault(clickId) : null, r.FraudFlag)).ToList();
    }
    /// <summary>
    /// The webmaster's name of each click, in one query bounded by the time the clicks' ids say they happened
    /// (UUIDv7): clicks is partitioned by day, and a lookup by id alone would probe every day's partition.
    /// </summary>
    private async Task<Dictionary<Guid, string>> WebmastersOfAsync(List<Guid> clickIds, CancellationToken ct)
    {
        var ranges = clickIds.Select(ClickIds.OccurredRange).ToList();
        if (ranges.Count == 0) return [];
        var clicks = db.Clicks.Where(c => clickIds.Contains(c.Id));
        if (ranges.TrueForAll(r => r is not null))
        {
            var from = ranges.Min(r => r!.Value.From);
            var to = ranges.Max(r => r!.Value.To);
            clicks = clicks.Where(c => c.OccurredAt >= from && c.OccurredAt <= to);
        }
        return await clicks.Join(db.Webmasters, c => c.WebmasterId, w => w.Id, (c, w) => new { c.Id, w.User.DisplayName })
            .ToDictionaryAsync(x => x.Id, x => x.DisplayName, ct);
    }
}
