using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using TaobaoAlliance.Data.Tracking;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Attribution.Clicks;

namespace TaobaoAlliance.Web.Clicks;

/// <summary>The click path: <c>GET /c/{code}</c> and the long link <c>GET /c?pid=…&amp;item=…</c>.</summary>
public static class ClickEndpoints
{
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public static void MapClickEndpoints(this WebApplication app)
    {
        // HEAD too: link checkers and previewers send it; they get the same redirect, and an invalid click.
        app.MapMethods("/c/{code}", GetOrHead, async (string code, HttpContext context, ClickRecorder recorder) =>
            Answer(context, await recorder.FollowShortLinkAsync(context.ClickRequest(), code, context.RequestAborted))).AsTrafficPath();
        app.MapMethods("/c", GetOrHead, async ([FromQuery] string? pid, [FromQuery] string? item, HttpContext context, ClickRecorder recorder) =>
            Answer(context, await recorder.FollowLongLinkAsync(context.ClickRequest(), pid, item, context.RequestAborted))).AsTrafficPath();
    }

    /// <summary>
    /// A path shoppers' traffic goes through (clicks, ads): anonymous, and answered as soon as routing finds it, without
    /// the middleware after routing. Rate limits never apply to it (a shopper is never refused the item: an excess click
    /// is recorded as invalid instead), it reads no sign-in cookie, is never output-cached and posts no form; the NUL
    /// guard would refuse a stray character that the path ignores anyway. What runs before routing still does:
    /// forwarded headers, request logging, status code pages (and, for the ad page, security headers and localization).
    /// </summary>
    public static IEndpointConventionBuilder AsTrafficPath(this RouteHandlerBuilder endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.AllowAnonymous().ShortCircuit();
    }

    /// <summary>A shopper's click, plain (<c>/c/{code}</c>, <c>/c?pid=…</c>) or paid (<c>/z/click/{token}</c>): answered with a redirect, never a page.</summary>
    public static bool IsShopperRedirect(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Path.StartsWithSegments("/c") || request.Path.StartsWithSegments("/z/click");
    }

    /// <summary>What the click path needs of the request.</summary>
    public static ClickRequest ClickRequest(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        return new(context.Connection.RemoteIpAddress, request.Headers.UserAgent.ToString(), request.Headers.Referer.ToString(),
            HttpMethods.IsHead(request.Method), VisitorCookie.Read(request), SubIdsOf(request));
    }

    /// <summary>
    /// <c>sub1</c>…<c>sub5</c> of the query string, read leniently (SubIds.Lenient: cut to 64 characters, control
    /// characters stripped): a click is never refused for its sub-ids. No query string, no work.
    /// </summary>
    public static SubIds SubIdsOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.QueryString.HasValue) return SubIds.None;
        var query = request.Query;
        return SubIds.Lenient(First(query, "sub1"), First(query, "sub2"), First(query, "sub3"), First(query, "sub4"), First(query, "sub5"));
    }

    private static string? First(IQueryCollection query, string name) => query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>No body for a link that leads nowhere: status code pages re-execute /Error and show the friendly not-found page.</summary>
    private static IResult Answer(HttpContext context, ClickOutcome? outcome) =>
        outcome is null ? NoStore(context, TypedResults.NotFound()) : Redirect(context, outcome);

    /// <summary>
    /// Sends the shopper on to the item, carrying the click id for the store. Built from the item id alone, or for an
    /// item of an external store from the landing the recorder built of the stored URL on the shop's registered host
    /// (ExternalStores.Landing, which checks the host again): nothing from the request reaches Location, so there is
    /// no open redirect.
    /// </summary>
    public static IResult Redirect(HttpContext context, ClickOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.VisitorId is { } visitorId) VisitorCookie.Keep(context, visitorId, context.RequestServices.GetRequiredService<TimeProvider>());
        var location = outcome.ExternalLanding is { } landing ? landing
            : outcome.ClickId is { } clickId
            ? string.Create(CultureInfo.InvariantCulture, $"/item/{outcome.ItemId}?alliance_click={clickId:N}")
            : string.Create(CultureInfo.InvariantCulture, $"/item/{outcome.ItemId}");
        return NoStore(context, TypedResults.Redirect(location));
    }

    /// <summary>For an ad whose item cannot be known or no longer exists: the storefront rather than a dead end.</summary>
    public static IResult RedirectHome(HttpContext context) => NoStore(context, TypedResults.Redirect("/"));

    /// <summary>A cached redirect would replay an old click id and record nothing.</summary>
    private static IResult NoStore(HttpContext context, IResult result)
    {
        context.Response.Headers.CacheControl = "no-store";
        return result;
    }
}
