using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>
/// Drops this node's <see cref="ClickTargets"/> as soon as this node saves a link, zone, site, item, shop or
/// targeted plan, so the next click here sees the change without waiting for PostgreSQL's notification (which
/// still follows at commit, for every node and for changes made by SQL).
/// </summary>
public sealed class ClickTargetsInvalidation(ClickTargets targets) : SaveChangesInterceptor
{
    private static readonly HashSet<Type> Watched =
        [typeof(Link), typeof(AdZone), typeof(Site), typeof(Item), typeof(Shop), typeof(TargetedPlan), typeof(TargetedPlanMember)];

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

    /// <summary>After the write (and its commit, unless the caller holds a transaction: then the notification at commit follows).</summary>
    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && saving.Remove(context)) targets.Invalidate();
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context) saving.Remove(context);
        return base.SaveChangesFailedAsync(eventData, cancellationToken);
    }
}
