using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;
using Npgsql;
using TaobaoAlliance.Application.Changes;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Web.Store;

/// <summary>
/// The anonymous storefront (home with its search, categories and paging, and item pages) answered from
/// ASP.NET Core output caching: a page that renders the same for every anonymous visitor costs no query.
/// The default policy underneath already refuses signed-in requests and responses that set a cookie; on top,
/// entries vary by the resolved UI culture (the key includes the whole URL, so q, category and p too), carry
/// one tag, and are evicted by <see cref="StorefrontCacheListener"/> on PostgreSQL's notification and by
/// <see cref="StorefrontCacheInvalidation"/> on this node's own saves. Cached pages must carry no antiforgery
/// token (it is bound to one visitor's cookie): the layout's culture switch and the anonymous item page's
/// cart button need none.
/// </summary>
public static class StorefrontCache
{
    public const string Policy = "storefront";
    public const string Tag = "storefront";

    /// <summary>A safety net: even if a notification were missed, no page is older than this.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    public static void AddStorefrontCache(this IServiceCollection services)
    {
        services.AddOutputCache(options => options.AddPolicy(Policy, policy => policy
            .Expire(MaxAge)
            .Tag(Tag)
            // Read after UseRequestLocalization has resolved the culture (cookie or Accept-Language).
            .VaryByValue(_ => new KeyValuePair<string, string>("culture", CultureInfo.CurrentUICulture.Name))));
        services.AddSingleton<StorefrontCacheInvalidation>();
        services.AddHostedService<StorefrontCacheListener>();
    }

    public static Task EvictAsync(this IOutputCacheStore store, CancellationToken ct) => store.EvictByTagAsync(Tag, ct).AsTask();
}

/// <summary>
/// Evicts the cached storefront on every <see cref="StorefrontTriggers.Channel"/> notification and on every
/// (re)connection. While deaf, <see cref="StorefrontCache.MaxAge"/> bounds how stale a page gets.
/// </summary>
public sealed class StorefrontCacheListener(
    [FromKeyedServices(ClickWriter.DataSourceKey)] NpgsqlDataSource dataSource,
    IOutputCacheStore store,
    ILogger<StorefrontCacheListener> logger) : ChangeListener(dataSource, logger)
{
    protected override string Channel => StorefrontTriggers.Channel;

    protected override async ValueTask ConnectedAsync(CancellationToken ct) => await store.EvictAsync(ct);

    protected override async ValueTask NotifiedAsync(string payload, CancellationToken ct) => await store.EvictAsync(ct);
}

/// <summary>Evicts the cached storefront as soon as this node saves an item, shop or category.</summary>
public sealed class StorefrontCacheInvalidation(IOutputCacheStore store) : SavedEntitiesInterceptor(typeof(Item), typeof(Shop), typeof(Category))
{
    protected override async ValueTask SavedAsync() => await store.EvictAsync(CancellationToken.None);
}
