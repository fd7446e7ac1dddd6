using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Commissions;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Orders;

namespace TaobaoAlliance.Application.Orders;

/// <summary>The order rows the event handlers share: an order locked for a change, and the order as it stands.</summary>
internal sealed class OrderRecords(AllianceDbContext db)
{
    /// <summary>The order the event names with its lines, locked until the transaction ends; null when it was never paid.</summary>
    public async Task<Order?> LockAsync(OrderEventCommand command, CancellationToken ct) =>
        await db.Orders.FromSql($"SELECT * FROM orders WHERE shop_id = {command.ShopId} AND external_order_id = {command.ExternalOrderId} FOR UPDATE")
            .Include(o => o.Lines).SingleOrDefaultAsync(ct);

    /// <summary>The order as it stands, line by line with what each still earns.</summary>
    public async Task<OrderEventResult> ResultAsync(Order order, CancellationToken ct)
    {
        var lines = await db.OrderLines.AsNoTracking().Where(l => l.OrderId == order.Id).OrderBy(l => l.Id).ToListAsync(ct);
        var commissions = await db.Commissions.AsNoTracking().Where(c => c.OrderId == order.Id).ToDictionaryAsync(c => c.OrderLineId, ct);
        return new OrderEventResult(order.Id, order.ShopId, order.ExternalOrderId, order.State.ToString(), order.AttributedClickId,
            order.AttributionNote, order.FraudFlag,
            lines.Select(l =>
            {
                var c = commissions.GetValueOrDefault(l.Id);
                var now = c?.Effective() ?? default;
                return new OrderLineResult(l.ItemId, l.Quantity, l.PaidFen, l.RefundedQuantity, l.RefundedFen, c?.State.ToString(),
                    now.Commission.Fen, now.Webmaster.Fen, now.PlatformFee.Fen, now.Subsidy.Fen, c?.Explanation);
            }).ToList());
    }
}
