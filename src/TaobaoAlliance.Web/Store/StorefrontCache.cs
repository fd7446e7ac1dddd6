using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
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
/// LISTENs on <see cref="StorefrontTriggers.Channel"/> and evicts the cached storefront on every notification,
/// so a change committed on any node (or by SQL) shows within the notification's delivery time; and on every
/// (re)connection, since notifications may have been missed meanwhile. While not connected, <see cref="StorefrontCache.MaxAge"/>
/// bounds how stale a page gets.
/// </summary>
public sealed class StorefrontCacheListener(
    [FromKeyedServices(ClickWriter.DataSourceKey)] NpgsqlDataSource dataSource,
    IOutputCacheStore store,
    ILogger<StorefrontCacheListener> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(15);

    /// <summary>How many notifications (and connections) led to an eviction: tests wait for it to move.</summary>
    public long Evictions => Interlocked.Read(ref evictions);

    private long evictions;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {StorefrontTriggers.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                await EvictAsync(stoppingToken);
                logger.LogDebug("Listening for storefront changes");
                while (true)
                {
                    // WaitAsync is true once a notification arrived; a silent dead connection is found by a probe when idle.
                    if (await connection.WaitAsync(ProbeInterval, stoppingToken))
                    {
                        await EvictAsync(stoppingToken);
                        continue;
                    }
                    await using var probe = new NpgsqlCommand("SELECT 1", connection);
                    await probe.ExecuteScalarAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Whatever broke the connection, the answer is the same: try again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogWarning(e, "No notifications of storefront changes; retrying");
            }
            try
            {
                await Task.Delay(RetryDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task EvictAsync(CancellationToken ct)
    {
        await store.EvictAsync(ct);
        Interlocked.Increment(ref evictions);
    }
}

/// <summary>
/// Evicts the cached storefront as soon as this node saves an item, shop or category, so the next page here
/// shows the change without waiting for PostgreSQL's notification (which still follows at commit, for every node).
/// </summary>
public sealed class StorefrontCacheInvalidation(IOutputCacheStore store) : SaveChangesInterceptor
{
    private static readonly HashSet<Type> Watched = [typeof(Item), typeof(Shop), typeof(Category)];

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> saving = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && context.ChangeTracker.Entries().Any(e =>
                e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && Watched.Contains(e.Metadata.ClrType)))
        {
            saving.AddOrUpdate(context, context);
        }
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && saving.Remove(context)) await store.EvictAsync(CancellationToken.None);
        return await base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context) saving.Remove(context);
        return base.SaveChangesFailedAsync(eventData, cancellationToken);
    }
}
