using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Commissions;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Commissions;

namespace TaobaoAlliance.Application.Reports;

/// <summary>One of a webmaster's commissions with its order and item, and its amounts as they stand now (after refunds).</summary>
public sealed record WebmasterCommission(Commission Commission, string ExternalOrderId, long ShopId, long ItemId, CommissionAmounts Now);

/// <summary>A webmaster's commissions created in a period, oldest first: only ever the one webmaster's.</summary>
public sealed class WebmasterCommissions(AllianceDbContext db)
{
    public async Task<IReadOnlyList<WebmasterCommission>> ListAsync(long webmasterId, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        var rows = await db.Commissions.AsNoTracking()
            .Where(c => c.WebmasterId == webmasterId && c.CreatedAt >= start && c.CreatedAt <= end)
            .Join(db.Orders, c => c.OrderId, o => o.Id, (c, o) => new { c, o.ExternalOrderId, o.ShopId })
            .Join(db.OrderLines, x => x.c.OrderLineId, l => l.Id, (x, l) => new { x.c, x.ExternalOrderId, x.ShopId, l.ItemId })
            .OrderBy(x => x.c.CreatedAt).ThenBy(x => x.c.Id)
            .ToListAsync(ct);
        return [.. rows.Select(x => new WebmasterCommission(x.c, x.ExternalOrderId, x.ShopId, x.ItemId, x.c.Effective()))];
    }
}
