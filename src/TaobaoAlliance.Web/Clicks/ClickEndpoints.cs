namespace TaobaoAlliance.Web.Clicks;

/// <summary>The click path: <c>GET /c/{code}</c> and the long link <c>GET /c?pid=…&amp;item=…</c>.</summary>
public static class ClickEndpoints
{
    public static void AddClickTracking(this IServiceCollection services)
    {
        // TODO(click helper): register ClickWriter, options, rules.
    }

    public static void MapClickEndpoints(this WebApplication app)
    {
        // TODO(click helper): map the endpoints.
    }
}
