using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Attribution.Cpc;
using TaobaoAlliance.Application.Cpc;
using TaobaoAlliance.Web.Clicks;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Cpc;

/// <summary>
/// The smart-zone auction on the web: <c>GET /z/{zoneId}</c> is the ad as a small HTML document for an
/// iframe, <c>GET /z/{zoneId}/embed.js</c> the script that places that iframe, and
/// <c>GET /z/click/{token}</c> the paid click behind the ad.
/// </summary>
public static class CpcRegistration
{
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public static void MapCpcEndpoints(this WebApplication app)
    {
        app.MapGet("/z/{zoneId:long}", async (long zoneId, HttpContext context, AdServer server, CpcMetrics metrics, IStringLocalizer<SharedResource> localizer) =>
        {
            // Crawlers and link previews get the zone without an auction: an impression they never look at would
            // only lower the winner's click-through rate (and a rival could send them on purpose).
            var serving = UserAgents.Default.Classify(context.Request.Headers.UserAgent.ToString()) == UserAgentKind.Browser
                ? await server.ServeAsync(zoneId, CultureInfo.CurrentUICulture, context.RequestAborted)
                : await server.ZoneExistsAsync(zoneId, context.RequestAborted) ? ZoneServing.Empty : ZoneServing.Missing;
            if (!serving.ZoneExists) return Results.NotFound();
            metrics.ZoneViewed(serving.Ad is not null);
            AllowFraming(context);
            // Every view is a new impression with its own ticket: nothing may cache it.
            context.Response.Headers.CacheControl = "no-store";
            // The zone's sub-ids (sub1…sub5 on the iframe's or script's URL) ride on the ad's click link, cleaned and re-escaped.
            return Results.Content(AdDocument(serving.Ad, localizer, ClickEndpoints.SubIdsOf(context.Request)), "text/html; charset=utf-8");
        }).AsTrafficPath();

        app.MapGet("/z/{zoneId:long}/embed.js", (long zoneId, HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=3600";
            // The iframe's address is worked out from the script's own URL, not from the Host header of this request.
            var script = string.Create(CultureInfo.InvariantCulture, $$"""
                (function () {
                  var s = document.currentScript;
                  if (!s) return;
                  var f = document.createElement('iframe');
                  var u = new URL('/z/{{zoneId}}', s.src);
                  u.search = new URL(s.src).search; // sub1…sub5 given on the script's URL reach the ad's click
                  f.src = u.href;
                  f.width = '300'; f.height = '250'; f.loading = 'lazy'; f.title = 'Advertisement';
                  f.setAttribute('frameborder', '0'); f.setAttribute('scrolling', 'no');
                  s.parentNode.insertBefore(f, s.nextSibling);
                })();
                """);
            return Results.Text(script, "text/javascript; charset=utf-8");
        }).AsTrafficPath();

        // HEAD too, like the ad links: a previewer gets the redirect, and its click is recorded as a preview and never paid.
        app.MapMethods("/z/click/{token}", GetOrHead, async (string token, HttpContext context, CpcClicks clicks) =>
            await clicks.FollowAsync(context.ClickRequest(), token, context.RequestAborted) is { } outcome
                ? ClickEndpoints.Redirect(context, outcome)
                : ClickEndpoints.RedirectHome(context)).AsTrafficPath();
    }

    /// <summary>The ad is made to be framed by webmasters' sites; it has no script, no form and nothing to steal.</summary>
    private static void AllowFraming(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data: https:; base-uri 'none'; form-action 'none'; frame-ancestors *";
        headers.Remove("X-Frame-Options");
    }

    private static string AdDocument(ServedAd? ad, IStringLocalizer localizer, SubIds subIds)
    {
        var html = HtmlEncoder.Default;
        var lang = CultureInfo.CurrentUICulture.IsChinese() ? "zh-Hans" : "en";
        var body = ad is null
            ? $"""<body class="zone-empty"></body>"""
            : $"""
                <body>
                <a class="zone-ad" href="{html.Encode(subIds.AppendTo("/z/click/" + Uri.EscapeDataString(ad.ClickToken)))}" target="_top" rel="sponsored noopener">
                  <img src="{html.Encode(ad.ImageUrl)}" alt="" width="96" height="96">
                  <span class="zone-ad-text">
                    <span class="zone-ad-title">{html.Encode(ad.Title)}</span>
                    <span class="zone-ad-price">{html.Encode(ad.ItemPrice.ToString())}</span>
                    <span class="zone-ad-shop">{html.Encode(ad.ShopName)}</span>
                    <span class="zone-ad-label">{html.Encode(localizer["Sponsored"])} · {html.Encode(localizer["TaobaoAlliance"])}</span>
                  </span>
                </a>
                </body>
                """;
        return $"""
            <!DOCTYPE html>
            <html lang="{lang}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.Encode(localizer["Advertisement"])}</title>
            <link rel="stylesheet" href="/css/zone-ad.css"></head>
            {body}
            </html>
            """;
    }
}
