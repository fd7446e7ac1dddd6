using System.Globalization;
using System.Security.Claims;

namespace TaobaoAlliance.Web.Store;

/// <summary>Who is shopping: the signed-in user's id, as Identity put it in the cookie.</summary>
public static class Shopper
{
    public static long UserId(this ClaimsPrincipal principal) =>
        long.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("The user is not signed in."), CultureInfo.InvariantCulture);
}
