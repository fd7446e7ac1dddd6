using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;
using TaobaoAlliance.Web.Store;

namespace TaobaoAlliance.Web.Links;

/// <summary>Finds the signed-in user's webmaster row: the owner of sites, zones and links.</summary>
public static class WebmasterLookup
{
    /// <summary>The webmaster id of the signed-in user, or null when the user is not a webmaster.</summary>
    public static async Task<long?> FindWebmasterIdAsync(this AllianceDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        var userId = user.UserId();
        return await db.Webmasters.AsNoTracking().Where(w => w.UserId == userId).Select(w => (long?)w.Id).SingleOrDefaultAsync(ct);
    }
}
