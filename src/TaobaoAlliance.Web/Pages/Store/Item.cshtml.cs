using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Pages.Store;

/// <summary>
/// The storefront item page: where every ad link lands the shopper, and where they add it to the cart. Anonymous
/// GETs are cached (<see cref="StorefrontCache"/>), so their page carries no antiforgery token: their cart button
/// goes to sign-in, as the POST handler would.
/// </summary>
[OutputCache(PolicyName = StorefrontCache.Policy)]
public sealed class ItemModel(AllianceDbContext db, TimeProvider clock, IStringLocalizer<SharedResource> localizer) : PageModel
{
    /// <summary>Distinct items a cart may hold (an order event takes at most 500 lines; real carts stay far below).</summary>
    public const int MaxCartLines = 100;

    public sealed record ItemView(long Id, string Title, string OtherTitle, Money Price, string ShopName, string CategoryName,
        int CategoryId, string ImageUrl, int MonthlySales);

    public ItemView Item { get; private set; } = null!;

    [BindProperty]
    [Range(1, 99, ErrorMessage = "The quantity must be between {1} and {2}.")]
    [Display(Name = "Quantity")]
    public int Quantity { get; set; } = 1;

    /// <summary>
    /// "Added to your cart", carried in TempData across the redirect. Read only for a signed-in user: TempData
    /// touched on an anonymous GET answers a Set-Cookie (clearing it), which would keep the page out of the cache.
    /// </summary>
    public string? CartMessage { get; private set; }

    /// <summary>A signed-in user whose role cannot shop (webmaster, seller, admin) sees no cart form.</summary>
    /// <summary>
    /// Back from signing in after "Add to cart" (<c>?add=true</c>): the page offers to finish adding the item, so the
    /// shopper's choice survives the sign-in. A GET never changes the cart itself; the button posts as usual.
    /// </summary>
    [BindProperty(SupportsGet = true, Name = "add")] public bool ResumeAdd { get; set; }

    public bool CanShop => User.Identity?.IsAuthenticated != true || User.IsInRole(Roles.Buyer);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated == true) CartMessage = TempData[nameof(CartMessage)] as string;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAddToCartAsync(long id, CancellationToken ct)
    {
        // Anonymous shoppers sign in (or sign up) and come back to this item.
        if (User.Identity?.IsAuthenticated != true) return Challenge(new AuthenticationProperties { RedirectUri = $"/item/{id}?add=true" });
        if (!User.IsInRole(Roles.Buyer)) return Forbid();
        if (!ModelState.IsValid) return await LoadAsync(id, ct) ? Page() : NotFound();

        var item = await db.Items.AsNoTracking().Where(i => i.Id == id && i.IsOnSale).Select(i => new { i.Id }).SingleOrDefaultAsync(ct);
        if (item is null) return NotFound();

        var userId = User.UserId();
        var lines = await db.CartLines.Where(c => c.UserId == userId).Select(c => c.ItemId).ToListAsync(ct);
        if (!lines.Contains(id) && lines.Count >= MaxCartLines)
        {
            ModelState.AddModelError("", localizer["Your cart is full ({0} different items). Check out or remove something first.", MaxCartLines]);
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }

        // One statement, so two adds at once (two tabs) both count; a line never goes past 99.
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO cart_lines (user_id, item_id, quantity, added_at) VALUES ({userId}, {id}, {Quantity}, {now})
            ON CONFLICT (user_id, item_id) DO UPDATE SET quantity = LEAST(99, cart_lines.quantity + EXCLUDED.quantity)
            """, ct);
        TempData[nameof(CartMessage)] = localizer["Added to your cart."].Value;
        return Redirect($"/item/{id}");
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        var item = await db.Items.AsNoTracking()
            .Where(i => i.Id == id && i.IsOnSale)
            .Select(i => new ItemView(i.Id,
                zh ? i.TitleZh : i.TitleEn,
                zh ? i.TitleEn : i.TitleZh,
                new Money(i.PriceFen),
                zh ? i.Shop.NameZh : i.Shop.NameEn,
                zh ? i.Category.NameZh : i.Category.NameEn,
                i.CategoryId, i.ImageUrl, i.MonthlySales))
            .SingleOrDefaultAsync(ct);
        if (item is null) return false;
        Item = item;
        return true;
    }
}
