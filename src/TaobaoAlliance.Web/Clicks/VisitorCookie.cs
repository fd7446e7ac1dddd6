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

    public static Guid Ensure(HttpContext context, TimeProvider clock)
    {
        if (Read(context.Request) is { } existing) return existing;
        var id = Guid.NewGuid();
        context.Response.Cookies.Append(Name, id.ToString("N"), new CookieOptions
        {
            Expires = clock.GetUtcNow().AddYears(1),
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
            Secure = context.Request.IsHttps,
        });
        return id;
    }
}
