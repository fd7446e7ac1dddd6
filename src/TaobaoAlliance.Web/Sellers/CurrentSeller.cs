using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Web.Sellers;

/// <summary>
/// The signed-in seller: the <c>sellers</c> row of the user in the cookie. Pages of the seller centre
/// use it to keep every query to this seller's own shops, wallet and campaigns.
/// </summary>
public static class CurrentSeller
{
    /// <summary>The seller id of the signed-in user, or null when the user is not a seller.</summary>
    public static async Task<long?> IdAsync(AllianceDbContext db, ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (!long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
        {
            return null;
        }
        return await db.Sellers.AsNoTracking().Where(s => s.UserId == userId).Select(s => (long?)s.Id).SingleOrDefaultAsync(ct);
    }

    /// <summary>The shop with this id if the signed-in user's seller owns it (tracked, for editing); otherwise null → answer 404.</summary>
    public static async Task<Shop?> OwnedShopAsync(AllianceDbContext db, ClaimsPrincipal user, long shopId, CancellationToken ct = default)
    {
        var sellerId = await IdAsync(db, user, ct);
        return sellerId is null ? null : await db.Shops.SingleOrDefaultAsync(s => s.Id == shopId && s.SellerId == sellerId, ct);
    }
}
