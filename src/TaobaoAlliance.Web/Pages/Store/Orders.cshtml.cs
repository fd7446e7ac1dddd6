using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Store;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Store;

namespace TaobaoAlliance.Web.Pages.Store;

/// <summary>
/// The buyer's own orders, newest first, with the two things a buyer does after paying: confirm
/// receipt, and ask for a refund of some of a line (<see cref="BuyerOrders"/>); another buyer's order is not found.
/// </summary>
public sealed class OrdersModel(AllianceDbContext db, BuyerOrders buyer, CurrentActor me, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public const int PageSize = 20;

    /// <summary>A refund the buyer asked for and has still to confirm.</summary>
    public sealed record RefundToConfirm(long OrderId, long ItemId, int Quantity, string Title, string ExternalOrderId);

    public RefundToConfirm? PendingRefund { get; private set; }

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
        var outcome = await buyer.ConfirmReceiptAsync(me.UserId, orderId, ct);
        if (!outcome.Succeeded) return await RefusedAsync(outcome, ct);
        Message = localizer["Receipt of order {0} confirmed. Thank you!", outcome.ExternalOrderId];
        return RedirectToPage(new { p = PageNumber });
    }

    public async Task<IActionResult> OnPostRefundAsync(
        long orderId,
        long itemId,
        [Range(1, int.MaxValue, ErrorMessage = "Enter a quantity of at least 1.")][Display(Name = "Quantity")] int quantity,
        bool confirmed,
        CancellationToken ct)
    {
        // A quantity that did not bind is 0, refused as below one unit (after the order and line are found, so another buyer's order is still not found).
        // A refund cannot be taken back: the first post only checks it and asks the buyer to confirm; the second refunds.
        var outcome = confirmed
            ? await buyer.RequestRefundAsync(me.UserId, orderId, itemId, quantity, ct)
            : await buyer.CheckRefundAsync(me.UserId, orderId, itemId, quantity, ct);
        if (!outcome.Succeeded) return await RefusedAsync(outcome, ct);
        if (!confirmed)
        {
            PendingRefund = new(orderId, itemId, quantity, StoreMessages.Title(outcome.Item!), outcome.ExternalOrderId);
            return await PageAsync(ct);
        }
        Message = localizer["Refunded {0} × “{1}” on order {2}.", quantity, StoreMessages.Title(outcome.Item!), outcome.ExternalOrderId];
        return RedirectToPage(new { p = PageNumber });
    }

    private async Task<IActionResult> RefusedAsync(BuyerOrderOutcome outcome, CancellationToken ct) => outcome.Refusal switch
    {
        BuyerOrderRefusal.NotFound => NotFound(),
        // The form's validation message is already on the page.
        BuyerOrderRefusal.QuantityBelowOne when !ModelState.IsValid => await PageAsync(ct),
        _ => await PageAsync(ct, StoreMessages.Refused(outcome, localizer)),
    };

    private async Task<PageResult> PageAsync(CancellationToken ct, string? error = null)
    {
        if (error is not null) ModelState.AddModelError("", error);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var userId = me.UserId;
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
