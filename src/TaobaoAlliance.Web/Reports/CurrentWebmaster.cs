using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Web.Reports;

/// <summary>
/// The signed-in webmaster: the <c>webmasters</c> row of the user in the cookie (the user id claim).
/// Pages of the webmaster centre use its id to keep every query to this webmaster's own data.
/// </summary>
public static class CurrentWebmaster
{
    /// <summary>The webmaster id of the signed-in user, or null when the user is not a webmaster.</summary>
    public static async Task<long?> IdAsync(AllianceDbContext db, ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (!long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
        {
            return null;
        }
        return await db.Webmasters.AsNoTracking().Where(w => w.UserId == userId).Select(w => (long?)w.Id).SingleOrDefaultAsync(ct);
    }
}
