using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Orders;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Orders;

namespace TaobaoAlliance.Application.Store;

/// <summary>Why a buyer's action on an order was refused; nothing was written.</summary>
public enum BuyerOrderRefusal
{
    /// <summary>No such order or line among the buyer's own: another buyer's order is not found.</summary>
    NotFound,
    /// <summary>The order is not waiting for delivery, so there is no receipt to confirm.</summary>
    NotWaitingForDelivery,
    /// <summary>A refund of fewer than one unit.</summary>
    QuantityBelowOne,
    AlreadyFullyRefunded,
    /// <summary>More units than are left to refund (<see cref="BuyerOrderOutcome.Refundable"/>).</summary>
    MoreThanRefundable,
    /// <summary>The order event was refused (<see cref="BuyerOrderOutcome.Detail"/>).</summary>
    EventRefused,
}

/// <summary>What a buyer's action did to an order (its number, the line's item), or why it was refused.</summary>
public sealed record BuyerOrderOutcome(
    string ExternalOrderId, BuyerOrderRefusal? Refusal = null, ItemTitle? Item = null, int Refundable = 0, string Detail = "")
{
    public bool Succeeded => Refusal is null;
}

/// <summary>
/// The two things a buyer does after paying: confirm receipt, and ask for a refund of some of a line. Both
/// go through the order event processor, as an external store's events would; only the buyer's own orders are found.
/// </summary>
public sealed class BuyerOrders(AllianceDbContext db, OrderEventProcessor orders, TimeProvider clock, ILogger<BuyerOrders> logger)
{
    private sealed record OwnOrder(long Id, long ShopId, string ExternalOrderId, OrderState State);

    public async Task<BuyerOrderOutcome> ConfirmReceiptAsync(long userId, long orderId, CancellationToken ct = default)
    {
        if (await OwnOrderAsync(orderId, userId, ct) is not { } order) return new("", BuyerOrderRefusal.NotFound);
        if (order.State != OrderState.Paid) return new(order.ExternalOrderId, BuyerOrderRefusal.NotWaitingForDelivery);
        return await SendAsync(order, OrderEventCommand.Confirmed, userId, [], null, ct);
    }

    public Task<BuyerOrderOutcome> RequestRefundAsync(long userId, long orderId, long itemId, int quantity, CancellationToken ct = default) =>
        RefundAsync(userId, orderId, itemId, quantity, send: true, ct);

    /// <summary>
    /// Whether the refund could be made, writing nothing (the buyer's confirmation step): a success means "ask the
    /// buyer to confirm", a refusal is the one <see cref="RequestRefundAsync"/> would give.
    /// </summary>
    public Task<BuyerOrderOutcome> CheckRefundAsync(long userId, long orderId, long itemId, int quantity, CancellationToken ct = default) =>
        RefundAsync(userId, orderId, itemId, quantity, send: false, ct);

    private async Task<BuyerOrderOutcome> RefundAsync(long userId, long orderId, long itemId, int quantity, bool send, CancellationToken ct)
    {
        if (await OwnOrderAsync(orderId, userId, ct) is not { } order) return new("", BuyerOrderRefusal.NotFound);
        var line = await db.OrderLines.AsNoTracking().Where(l => l.OrderId == order.Id && l.ItemId == itemId)
            .Select(l => new { l.Quantity, l.RefundedQuantity, Title = new ItemTitle(l.Item.TitleZh, l.Item.TitleEn) }).SingleOrDefaultAsync(ct);
        if (line is null) return new("", BuyerOrderRefusal.NotFound);
        if (quantity < 1) return new(order.ExternalOrderId, BuyerOrderRefusal.QuantityBelowOne, line.Title);
        var refundable = line.Quantity - line.RefundedQuantity;
        if (refundable == 0) return new(order.ExternalOrderId, BuyerOrderRefusal.AlreadyFullyRefunded, line.Title);
        if (quantity > refundable) return new(order.ExternalOrderId, BuyerOrderRefusal.MoreThanRefundable, line.Title, refundable);

        if (!send) return new(order.ExternalOrderId, Item: line.Title, Refundable: refundable);
        // Paid 0: the processor works out the amount from what was paid for the line.
        return await SendAsync(order, OrderEventCommand.Refunded, userId, [new OrderEventLine(itemId, quantity, 0)], line.Title, ct);
    }

    private Task<OwnOrder?> OwnOrderAsync(long orderId, long userId, CancellationToken ct) =>
        db.Orders.AsNoTracking().Where(o => o.Id == orderId && o.BuyerUserId == userId)
            .Select(o => new OwnOrder(o.Id, o.ShopId, o.ExternalOrderId, o.State)).SingleOrDefaultAsync(ct);

    private async Task<BuyerOrderOutcome> SendAsync(
        OwnOrder order, string type, long userId, IReadOnlyList<OrderEventLine> lines, ItemTitle? item, CancellationToken ct)
    {
        // Each event is keyed by its time too, so a second refund of the same quantity later is a new event.
        var outcome = await orders.ProcessAsync(new(ShopId: order.ShopId, ExternalOrderId: order.ExternalOrderId, Event: type,
            OccurredAt: clock.GetUtcNow(), BuyerRef: userId.ToString(CultureInfo.InvariantCulture), Lines: lines,
            Source: OrderSource.Storefront, BuyerUserId: userId), ct);
        if (outcome.Succeeded) return new(order.ExternalOrderId, Item: item);
        logger.LogWarning("Buyer action on order {OrderId} refused: {Detail}", order.Id, outcome.Detail);
        return new(order.ExternalOrderId, BuyerOrderRefusal.EventRefused, item, Detail: outcome.Detail);
    }
}
