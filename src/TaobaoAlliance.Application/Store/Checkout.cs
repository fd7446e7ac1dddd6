using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Orders;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Orders;

namespace TaobaoAlliance.Application.Store;

/// <summary>
/// A buyer places the cart: <paramref name="CheckoutId"/> names the rendering of the checkout form (so a double
/// click places the orders once); <paramref name="ExpectedTotalFen"/> is the total the buyer saw.
/// </summary>
public sealed record CheckoutRequest(long UserId, Guid CheckoutId, long ExpectedTotalFen, Guid? VisitorId);

/// <summary>An item's title in both languages of the storefront.</summary>
public sealed record ItemTitle(string Zh, string En);

/// <summary>Why a checkout placed nothing, or not everything.</summary>
public enum CheckoutRefusal
{
    /// <summary>This checkout's orders exist already (the same form posted again).</summary>
    AlreadyPlaced,
    /// <summary>The checkout id is another buyer's.</summary>
    NotYours,
    EmptyCart,
    /// <summary>An item in the cart is no longer listed (<see cref="CheckoutOutcome.Unlisted"/>).</summary>
    ItemNotForSale,
    /// <summary>The cart's total is not the one the buyer saw.</summary>
    PricesChanged,
    /// <summary>A shop's order was refused (<see cref="CheckoutOutcome.Detail"/>); <see cref="CheckoutOutcome.OrdersPlaced"/> may be above 0.</summary>
    OrderRefused,
}

/// <summary>How many orders a checkout placed (one per shop), or why it stopped.</summary>
public sealed record CheckoutOutcome(int OrdersPlaced, CheckoutRefusal? Refusal = null, string Detail = "", ItemTitle? Unlisted = null)
{
    public bool Succeeded => Refusal is null;
}

/// <summary>
/// Cart → orders: one order per shop, all sharing the checkout id, priced from the database and attributed
/// through the order event processor like any other order. What was ordered leaves the cart.
/// </summary>
public sealed class Checkout(AllianceDbContext db, OrderEventProcessor orders, TimeProvider clock, ILogger<Checkout> logger)
{
    public async Task<CheckoutOutcome> PlaceAsync(CheckoutRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (userId, id) = (request.UserId, request.CheckoutId);
        // The same form posted again (a double click, a refresh): its orders exist already.
        var placedBefore = await db.Orders.Where(o => o.CheckoutId == id).Select(o => o.BuyerUserId).ToListAsync(ct);
        if (placedBefore.Count > 0)
        {
            return new(0, placedBefore.Any(buyer => buyer != userId) ? CheckoutRefusal.NotYours : CheckoutRefusal.AlreadyPlaced);
        }

        var lines = await db.CartLines.AsNoTracking().Where(c => c.UserId == userId)
            .OrderBy(c => c.Item.ShopId).ThenBy(c => c.AddedAt).ThenBy(c => c.ItemId)
            .Select(c => new { c.ItemId, c.Quantity, c.Item.ShopId, c.Item.PriceFen, IsListed = c.Item.IsOnSale, c.Item.TitleZh, c.Item.TitleEn })
            .ToListAsync(ct);
        if (lines.Count == 0) return new(0, CheckoutRefusal.EmptyCart);
        if (lines.FirstOrDefault(l => !l.IsListed) is { } gone) return new(0, CheckoutRefusal.ItemNotForSale, Unlisted: new(gone.TitleZh, gone.TitleEn));
        // Prices come from the database; the total the buyer saw only guards against a price that
        // changed since the cart was shown.
        var total = lines.Sum(l => checked(l.PriceFen * l.Quantity));
        if (total != request.ExpectedTotalFen) return new(0, CheckoutRefusal.PricesChanged);

        var now = clock.GetUtcNow();
        var placed = new List<long>();
        OrderEventOutcome? refused = null;
        try
        {
            foreach (var shop in lines.GroupBy(l => l.ShopId))
            {
                var command = new OrderEventCommand(
                    ShopId: shop.Key,
                    ExternalOrderId: ExternalOrderId(id, shop.Key),
                    Event: OrderEventCommand.Paid,
                    OccurredAt: now,
                    BuyerRef: userId.ToString(CultureInfo.InvariantCulture),
                    Lines: [.. shop.Select(l => new OrderEventLine(l.ItemId, l.Quantity, checked(l.PriceFen * l.Quantity)))],
                    Source: OrderSource.Storefront,
                    VisitorId: request.VisitorId,
                    ClickId: null,
                    BuyerUserId: userId,
                    CheckoutId: id);
                var outcome = await orders.ProcessAsync(command, ct);
                if (!outcome.Succeeded)
                {
                    refused = outcome;
                    logger.LogWarning("Checkout {CheckoutId} of user {UserId}: shop {ShopId} refused: {Detail}", id, userId, shop.Key, outcome.Detail);
                    break;
                }
                placed.Add(shop.Key);
            }
        }
        finally
        {
            // Whatever happened to the rest, what was ordered leaves the cart, so it cannot be bought twice.
            if (placed.Count > 0)
            {
                var orderedItems = lines.Where(l => placed.Contains(l.ShopId)).Select(l => l.ItemId).ToList();
                await db.CartLines.Where(c => c.UserId == userId && orderedItems.Contains(c.ItemId)).ExecuteDeleteAsync(CancellationToken.None);
            }
        }

        if (refused is not null) return new(placed.Count, CheckoutRefusal.OrderRefused, refused.Detail);
        logger.LogInformation("Checkout {CheckoutId} of user {UserId}: {Count} orders, {TotalFen} fen", id, userId, placed.Count, total);
        return new(placed.Count);
    }

    /// <summary>The storefront's order number for one shop's part of a checkout: short, and unique per shop.</summary>
    internal static string ExternalOrderId(Guid checkoutId, long shopId) =>
        string.Create(CultureInfo.InvariantCulture, $"SF{checkoutId.ToString("N")[..20]}-{shopId}");
}
