using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Web.Clicks;

/// <summary>The click path: <c>GET /c/{code}</c> and the long link <c>GET /c?pid=…&amp;item=…</c>.</summary>
public static class ClickEndpoints
{
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public static void AddClickTracking(this IServiceCollection services)
    {
        services.AddOptions<ClickOptions>().BindConfiguration(ClickOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ClickMetrics>();
        // The writer's own data source (own pool): its one connection at a time never waits behind page queries.
        services.AddKeyedSingleton(ClickWriter.DataSourceKey, (provider, _) => NpgsqlDataSource.Create(
            provider.GetRequiredService<IConfiguration>().GetConnectionString("Alliance")
            ?? throw new InvalidOperationException("ConnectionStrings:Alliance is not set.")));
        services.AddSingleton<ClickWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<ClickWriter>());
        services.AddScoped<ClickRecorder>();
    }

    public static void MapClickEndpoints(this WebApplication app)
    {
        // HEAD too: link checkers and previewers send it; they get the same redirect, and an invalid click.
        app.MapMethods("/c/{code}", GetOrHead, async (string code, HttpContext context, ClickRecorder recorder) =>
            Answer(context, await recorder.FollowShortLinkAsync(context, code))).AllowAnonymous();
        app.MapMethods("/c", GetOrHead, async ([FromQuery] string? pid, [FromQuery] string? item, HttpContext context, ClickRecorder recorder) =>
            Answer(context, await recorder.FollowLongLinkAsync(context, pid, item))).AllowAnonymous();
    }

    /// <summary>No body for a link that leads nowhere: status code pages re-execute /Error and show the friendly not-found page.</summary>
    private static IResult Answer(HttpContext context, ClickOutcome? outcome) =>
        outcome is null ? NoStore(context, TypedResults.NotFound()) : Redirect(context, outcome);

    /// <summary>
    /// Sends the shopper on to the item, carrying the click id for the store. Built from the item id alone:
    /// nothing from the request reaches Location, so there is no open redirect.
    /// </summary>
    public static IResult Redirect(HttpContext context, ClickOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var location = outcome.ClickId is { } clickId
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
