using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Web.Clicks;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Orders;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Pages.Store;

/// <summary>
/// The buyer's cart, grouped by shop, and checkout: one order per shop, all sharing a checkout id,
/// priced from the database and attributed through the order event processor like any other order.
/// </summary>
public sealed class CartModel(
    AllianceDbContext db,
    OrderEventProcessor orders,
    TimeProvider clock,
    IStringLocalizer<SharedResource> localizer,
    ILogger<CartModel> logger) : PageModel
{
    public sealed record LineView(long ItemId, string Title, string ImageUrl, Money UnitPrice, int Quantity, bool IsListed)
    {
        public Money Total => new(UnitPrice.Fen * Quantity);
    }

    public sealed record ShopView(long ShopId, string ShopName, IReadOnlyList<LineView> Lines)
    {
        public Money Subtotal => new(Lines.Sum(l => l.Total.Fen));
    }

    public IReadOnlyList<ShopView> Shops { get; private set; } = [];
    public Money GrandTotal => new(Shops.Sum(s => s.Subtotal.Fen));
    public int ItemCount => Shops.Sum(s => s.Lines.Sum(l => l.Quantity));

    /// <summary>
    /// Names this rendering of the checkout form, so a double click or a resubmitted form places the
    /// orders once: the orders it creates carry it as their checkout id.
    /// </summary>
    public Guid CheckoutId { get; } = Guid.NewGuid();

    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostUpdateAsync(
        long itemId,
        [Range(1, 99, ErrorMessage = "The quantity must be between {1} and {2}.")][Display(Name = "Quantity")] int quantity,
        CancellationToken ct)
    {
        if (!ModelState.IsValid) return await PageAsync(ct);
        var userId = User.UserId();
        var updated = await db.CartLines.Where(c => c.UserId == userId && c.ItemId == itemId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Quantity, quantity), ct);
        Message = updated == 0 ? localizer["That item is no longer in your cart."] : localizer["Quantity updated."];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveAsync(long itemId, CancellationToken ct)
    {
        var userId = User.UserId();
        await db.CartLines.Where(c => c.UserId == userId && c.ItemId == itemId).ExecuteDeleteAsync(ct);
        Message = localizer["Removed from your cart."];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCheckoutAsync(Guid? checkoutId, long? expectedTotalFen, CancellationToken ct)
    {
        var userId = User.UserId();
        if (!ModelState.IsValid || checkoutId is not { } id || id == Guid.Empty || expectedTotalFen is null)
        {
            ModelState.Clear();
            return await PageAsync(ct, localizer["The checkout form is out of date. Check your cart and place the order again."]);
        }

        // The same form posted again (a double click, a refresh): its orders exist already.
        var placedBefore = await db.Orders.Where(o => o.CheckoutId == id).Select(o => o.BuyerUserId).ToListAsync(ct);
        if (placedBefore.Count > 0)
        {
            if (placedBefore.Any(buyer => buyer != userId)) return BadRequest();
            Message = localizer["This order was already placed."];
            return RedirectToPage("/Store/Orders");
        }

        var lines = await db.CartLines.AsNoTracking().Where(c => c.UserId == userId)
            .OrderBy(c => c.Item.ShopId).ThenBy(c => c.AddedAt).ThenBy(c => c.ItemId)
            .Select(c => new { c.ItemId, c.Quantity, c.Item.ShopId, c.Item.PriceFen, c.Item.IsListed, c.Item.TitleZh, c.Item.TitleEn })
            .ToListAsync(ct);
        if (lines.Count == 0) return await PageAsync(ct, localizer["Your cart is empty."]);
        if (lines.FirstOrDefault(l => !l.IsListed) is { } gone)
        {
            var title = CultureInfo.CurrentUICulture.IsChinese() ? gone.TitleZh : gone.TitleEn;
            return await PageAsync(ct, localizer["“{0}” is no longer for sale. Remove it from your cart to check out.", title]);
        }
        // Prices come from the database; the total the buyer saw only guards against a price that
        // changed since the cart was shown.
        var total = lines.Sum(l => checked(l.PriceFen * l.Quantity));
        if (total != expectedTotalFen)
        {
            return await PageAsync(ct, localizer["Prices in your cart have changed. Check the new total and place the order again."]);
        }

        var now = clock.GetUtcNow();
        var visitorId = VisitorCookie.Read(Request);
        var placed = new List<long>();
        OrderEventProblem? problem = null;
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
                    VisitorId: visitorId,
                    ClickId: null,
                    BuyerUserId: userId,
                    CheckoutId: id);
                var outcome = await orders.ProcessAsync(command, ct);
                if (outcome.Problem is not null)
                {
                    problem = outcome.Problem;
                    logger.LogWarning("Checkout {CheckoutId} of user {UserId}: shop {ShopId} refused: {Detail}", id, userId, shop.Key, problem.Detail);
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

        if (problem is not null)
        {
            var message = placed.Count == 0
                ? localizer["The order could not be placed: {0}", problem.Detail]
                : localizer["Some orders were placed; the items left in your cart could not be ordered: {0}", problem.Detail];
            return await PageAsync(ct, message);
        }
        logger.LogInformation("Checkout {CheckoutId} of user {UserId}: {Count} orders, {TotalFen} fen", id, userId, placed.Count, total);
        Message = placed.Count == 1
            ? localizer["Thank you! Your order has been placed."]
            : localizer["Thank you! Your {0} orders have been placed, one per shop.", placed.Count];
        return RedirectToPage("/Store/Orders");
    }

    /// <summary>The storefront's order number for one shop's part of a checkout: short, and unique per shop.</summary>
    internal static string ExternalOrderId(Guid checkoutId, long shopId) =>
        string.Create(CultureInfo.InvariantCulture, $"SF{checkoutId.ToString("N")[..20]}-{shopId}");

    private async Task<PageResult> PageAsync(CancellationToken ct, string? error = null)
    {
        if (error is not null) ModelState.AddModelError("", error);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var userId = User.UserId();
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        var lines = await db.CartLines.AsNoTracking().Where(c => c.UserId == userId)
            .OrderBy(c => c.AddedAt).ThenBy(c => c.ItemId)
            .Select(c => new
            {
                c.Item.ShopId,
                ShopName = zh ? c.Item.Shop.NameZh : c.Item.Shop.NameEn,
                Line = new LineView(c.ItemId, zh ? c.Item.TitleZh : c.Item.TitleEn, c.Item.ImageUrl, new Money(c.Item.PriceFen), c.Quantity, c.Item.IsListed),
            })
            .ToListAsync(ct);
        Shops = [.. lines.GroupBy(l => (l.ShopId, l.ShopName)).Select(g => new ShopView(g.Key.ShopId, g.Key.ShopName, [.. g.Select(l => l.Line)]))];
    }
}
