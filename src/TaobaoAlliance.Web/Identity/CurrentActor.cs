using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Web.Identity;

/// <summary>
/// Who is acting in this request: the signed-in user, and the webmaster or seller row behind it. The one
/// way pages find "me", so every query can be kept to the actor's own sites, shops, wallet and reports.
/// Lookups are remembered for the request.
/// </summary>
public sealed class CurrentActor(IHttpContextAccessor http, AllianceDbContext db)
{
    private long? webmasterId;
    private long? sellerId;
    private bool webmasterLooked;
    private bool sellerLooked;

    public ClaimsPrincipal User => http.HttpContext?.User ?? throw new InvalidOperationException("No request in progress.");

    /// <summary>The signed-in user's id; throws when no one is signed in (pages that call it require a role).</summary>
    public long UserId => User.UserId();

    /// <summary>The webmaster id of the signed-in user, or null when the user is not a webmaster.</summary>
    public async Task<long?> WebmasterIdAsync(CancellationToken ct)
    {
        if (webmasterLooked) return webmasterId;
        webmasterId = User.TryUserId() is { } userId
            ? await db.Webmasters.AsNoTracking().Where(w => w.UserId == userId).Select(w => (long?)w.Id).SingleOrDefaultAsync(ct)
            : null;
        webmasterLooked = true;
        return webmasterId;
    }

    /// <summary>The seller id of the signed-in user, or null when the user is not a seller.</summary>
    public async Task<long?> SellerIdAsync(CancellationToken ct)
    {
        if (sellerLooked) return sellerId;
        sellerId = User.TryUserId() is { } userId
            ? await db.Sellers.AsNoTracking().Where(s => s.UserId == userId).Select(s => (long?)s.Id).SingleOrDefaultAsync(ct)
            : null;
        sellerLooked = true;
        return sellerId;
    }

    /// <summary>The shop with this id if the signed-in seller owns it (tracked, for editing); otherwise null → answer 404.</summary>
    public async Task<Shop?> OwnedShopAsync(long shopId, CancellationToken ct) =>
        await SellerIdAsync(ct) is { } seller ? await db.Shops.SingleOrDefaultAsync(s => s.Id == shopId && s.SellerId == seller, ct) : null;
}

/// <summary>The user id that Identity put in the cookie.</summary>
public static class UserClaims
{
    public static long UserId(this ClaimsPrincipal principal) =>
        principal.TryUserId() ?? throw new InvalidOperationException("The user is not signed in.");

    public static long? TryUserId(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id : null;
    }
}
