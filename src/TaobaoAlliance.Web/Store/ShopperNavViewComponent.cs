using System.Data.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Store;

/// <summary>
/// The account end of the navbar: cart (with how many items it holds) and orders for shoppers, the
/// user's name and sign-out, or sign-in and sign-up links.
/// </summary>
public sealed class ShopperNavViewComponent(AllianceDbContext db, ILogger<ShopperNavViewComponent> logger) : ViewComponent
{
    public sealed record NavView(bool SignedIn, bool CanShop, string? DisplayName, int CartCount);

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var user = UserClaimsPrincipal;
        if (user.Identity?.IsAuthenticated != true) return View(new NavView(false, true, null, 0));

        var isBuyer = user.IsInRole(Roles.Buyer);
        var name = user.Identity.Name;
        var count = 0;
        try
        {
            var userId = user.UserId();
            name = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).SingleOrDefaultAsync() is { Length: > 0 } displayName
                ? displayName : name;
            if (isBuyer) count = await db.CartLines.Where(c => c.UserId == userId).SumAsync(c => c.Quantity);
        }
        catch (DbException e)
        {
            // The layout also draws the error page: a database that is down must not break it twice.
            logger.LogWarning(e, "Could not read the navbar's user name and cart count");
        }
        return View(new NavView(true, isBuyer, name, count));
    }
}
