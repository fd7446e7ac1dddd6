using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Orders;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Pages.Store;

/// <summary>
/// The buyer's own orders, newest first, with the two things a buyer does after paying: confirm
/// receipt, and ask for a refund of some of a line. Both go through the order event processor, as
/// an external store's events would; another buyer's order is not found.
/// </summary>
public sealed class OrdersModel(
    AllianceDbContext db,
    OrderEventProcessor orders,
    TimeProvider clock,
    IStringLocalizer<SharedResource> localizer,
    ILogger<OrdersModel> logger) : PageModel
{
    public const int PageSize = 20;

    public sealed record LineView(long ItemId, string Title, int Quantity, Money Paid, int RefundedQuantity, Money Refunded)
    {
        public int Refundable => Quantity - RefundedQuantity;
    }

    public sealed record OrderView(long Id, string ExternalOrderId, string ShopName, OrderState State, DateTimeOffset PaidAt,
        DateTimeOffset? ConfirmedAt, IReadOnlyList<LineView> Lines)
    {
        public Money Paid => new(Lines.Sum(l => l.Paid.Fen));
        public Money Refunded => new(Lines.Sum(l => l.Refunded.Fen));
        public bool CanConfirm => State == OrderState.Paid;
    }

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<OrderView> Orders { get; private set; } = [];
    public int TotalOrders { get; private set; }
    public int PageCount => Math.Max(1, (TotalOrders + PageSize - 1) / PageSize);

    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostConfirmAsync(long orderId, CancellationToken ct)
    {
        var userId = User.UserId();
        var order = await OwnOrderAsync(orderId, userId, ct);
        if (order is null) return NotFound();
        if (order.State != OrderState.Paid)
        {
            return await PageAsync(ct, localizer["Order {0} is not waiting for delivery, so there is no receipt to confirm.", order.ExternalOrderId]);
        }

        var outcome = await orders.ProcessAsync(Event(order, OrderEventCommand.Confirmed, userId, []), ct);
        if (outcome.Problem is { } problem) return await RefusedAsync(order, problem, ct);
        Message = localizer["Receipt of order {0} confirmed. Thank you!", order.ExternalOrderId];
        return RedirectToPage(new { p = PageNumber });
    }

    public async Task<IActionResult> OnPostRefundAsync(
        long orderId,
        long itemId,
        [Range(1, int.MaxValue, ErrorMessage = "Enter a quantity of at least 1.")][Display(Name = "Quantity")] int quantity,
        CancellationToken ct)
    {
        var userId = User.UserId();
        var order = await OwnOrderAsync(orderId, userId, ct);
        if (order is null) return NotFound();
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        var line = await db.OrderLines.AsNoTracking().Where(l => l.OrderId == order.Id && l.ItemId == itemId)
            .Select(l => new { l.Quantity, l.RefundedQuantity, Title = zh ? l.Item.TitleZh : l.Item.TitleEn }).SingleOrDefaultAsync(ct);
        if (line is null) return NotFound();
        if (!ModelState.IsValid) return await PageAsync(ct);
        var refundable = line.Quantity - line.RefundedQuantity;
        if (refundable == 0) return await PageAsync(ct, localizer["That line of order {0} is already fully refunded.", order.ExternalOrderId]);
        if (quantity > refundable)
        {
            return await PageAsync(ct, localizer["You can ask for a refund of at most {0} of that line of order {1}.", refundable, order.ExternalOrderId]);
        }

        // Paid 0: the processor works out the amount from what was paid for the line.
        var outcome = await orders.ProcessAsync(Event(order, OrderEventCommand.Refunded, userId, [new OrderEventLine(itemId, quantity, 0)]), ct);
        if (outcome.Problem is { } problem) return await RefusedAsync(order, problem, ct);
        Message = localizer["Refunded {0} × “{1}” on order {2}.", quantity, line.Title, order.ExternalOrderId];
        return RedirectToPage(new { p = PageNumber });
    }

    private sealed record OwnOrder(long Id, long ShopId, string ExternalOrderId, OrderState State);

    private Task<OwnOrder?> OwnOrderAsync(long orderId, long userId, CancellationToken ct) =>
        db.Orders.AsNoTracking().Where(o => o.Id == orderId && o.BuyerUserId == userId)
            .Select(o => new OwnOrder(o.Id, o.ShopId, o.ExternalOrderId, o.State)).SingleOrDefaultAsync(ct);

    // Each event is keyed by its time too, so a second refund of the same quantity later is a new event.
    private OrderEventCommand Event(OwnOrder order, string type, long userId, IReadOnlyList<OrderEventLine> lines) =>
        new(ShopId: order.ShopId, ExternalOrderId: order.ExternalOrderId, Event: type, OccurredAt: clock.GetUtcNow(),
            BuyerRef: userId.ToString(CultureInfo.InvariantCulture), Lines: lines, Source: OrderSource.Storefront, BuyerUserId: userId);

    private async Task<IActionResult> RefusedAsync(OwnOrder order, OrderEventProblem problem, CancellationToken ct)
    {
        logger.LogWarning("Buyer action on order {OrderId} refused: {Detail}", order.Id, problem.Detail);
        return await PageAsync(ct, localizer["Order {0} could not be updated: {1}", order.ExternalOrderId, problem.Detail]);
    }

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
        var mine = db.Orders.AsNoTracking().Where(o => o.BuyerUserId == userId);
        TotalOrders = await mine.CountAsync(ct);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Orders = await mine.OrderByDescending(o => o.PaidAt).ThenByDescending(o => o.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(o => new OrderView(o.Id, o.ExternalOrderId, zh ? o.Shop.NameZh : o.Shop.NameEn, o.State, o.PaidAt, o.ConfirmedAt,
                o.Lines.OrderBy(l => l.Id)
                    .Select(l => new LineView(l.ItemId, zh ? l.Item.TitleZh : l.Item.TitleEn, l.Quantity, new Money(l.PaidFen),
                        l.RefundedQuantity, new Money(l.RefundedFen)))
                    .ToList()))
            .AsSplitQuery()
            .ToListAsync(ct);
    }
}
