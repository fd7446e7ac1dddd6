namespace TaobaoAlliance.Web.Clicks;

/// <summary>
/// The visitor cookie that carries attribution on the built-in storefront: a random id set by the
/// click endpoint for a year (HttpOnly, SameSite=Lax), read again at checkout.
/// </summary>
public static class VisitorCookie
{
    public const string Name = "alliance_vid";

    public static Guid? Read(HttpRequest request) =>
        request.Cookies.TryGetValue(Name, out var value) && Guid.TryParse(value, out var id) ? id : null;

    /// <summary>Sets the cookie to <paramref name="visitorId"/> unless the request already carries it.</summary>
    public static void Keep(HttpContext context, Guid visitorId, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Read(context.Request) == visitorId) return;
        context.Response.Cookies.Append(Name, visitorId.ToString("N"), new CookieOptions
        {
            Expires = clock.GetUtcNow().AddYears(1),
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
            Secure = context.Request.IsHttps,
        });
    }
}
