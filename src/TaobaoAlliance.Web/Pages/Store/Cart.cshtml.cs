using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Store;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Web.Clicks;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Store;

namespace TaobaoAlliance.Web.Pages.Store;

/// <summary>
/// The buyer's cart, grouped by shop: change a quantity, remove a line, and check out (<see cref="Checkout"/>:
/// one order per shop, all sharing a checkout id).
/// </summary>
public sealed class CartModel(AllianceDbContext db, Checkout checkout, CurrentActor me, IStringLocalizer<SharedResource> localizer) : PageModel
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
        var userId = me.UserId;
        var updated = await db.CartLines.Where(c => c.UserId == userId && c.ItemId == itemId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Quantity, quantity), ct);
        Message = updated == 0 ? localizer["That item is no longer in your cart."] : localizer["Quantity updated."];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveAsync(long itemId, CancellationToken ct)
    {
        var userId = me.UserId;
        await db.CartLines.Where(c => c.UserId == userId && c.ItemId == itemId).ExecuteDeleteAsync(ct);
        Message = localizer["Removed from your cart."];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCheckoutAsync(Guid? checkoutId, long? expectedTotalFen, CancellationToken ct)
    {
        if (!ModelState.IsValid || checkoutId is not { } id || id == Guid.Empty || expectedTotalFen is not { } total)
        {
            ModelState.Clear();
            return await PageAsync(ct, localizer["The checkout form is out of date. Check your cart and place the order again."]);
        }

        var outcome = await checkout.PlaceAsync(new CheckoutRequest(me.UserId, id, total, VisitorCookie.Read(Request)), ct);
        switch (outcome.Refusal)
        {
            case CheckoutRefusal.NotYours:
                return BadRequest();
            case CheckoutRefusal.AlreadyPlaced:
                Message = StoreMessages.Refused(outcome, localizer);
                return RedirectToPage("/Store/Orders");
            case not null:
                return await PageAsync(ct, StoreMessages.Refused(outcome, localizer));
        }
        Message = outcome.OrdersPlaced == 1
            ? localizer["Thank you! Your order has been placed."]
            : localizer["Thank you! Your {0} orders have been placed, one per shop.", outcome.OrdersPlaced];
        return RedirectToPage("/Store/Orders");
    }

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
        var lines = await db.CartLines.AsNoTracking().Where(c => c.UserId == userId)
            .OrderBy(c => c.AddedAt).ThenBy(c => c.ItemId)
            .Select(c => new
            {
                c.Item.ShopId,
                ShopName = zh ? c.Item.Shop.NameZh : c.Item.Shop.NameEn,
                Line = new LineView(c.ItemId, zh ? c.Item.TitleZh : c.Item.TitleEn, c.Item.ImageUrl, new Money(c.Item.PriceFen), c.Quantity, c.Item.IsOnSale),
            })
            .ToListAsync(ct);
        Shops = [.. lines.GroupBy(l => (l.ShopId, l.ShopName)).Select(g => new ShopView(g.Key.ShopId, g.Key.ShopName, [.. g.Select(l => l.Line)]))];
    }
}
