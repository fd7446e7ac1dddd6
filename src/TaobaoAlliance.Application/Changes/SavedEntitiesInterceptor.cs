using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TaobaoAlliance.Application.Changes;

/// <summary>
/// Calls <see cref="SavedAsync"/> after this node saved (added, changed or deleted) an entity of one of the
/// watched types — after the write, and after its commit unless the caller holds a transaction, in which case
/// the NOTIFY at commit follows. So what this node keeps in memory shows its own change at once, without
/// waiting for PostgreSQL's notification (a <see cref="ChangeListener"/> still hears that one, as every node does).
/// </summary>
public abstract class SavedEntitiesInterceptor(params Type[] watched) : SaveChangesInterceptor
{
    private readonly HashSet<Type> watched = [.. watched];
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> saving = [];

    protected abstract ValueTask SavedAsync();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && context.ChangeTracker.Entries().Any(e =>
                e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && watched.Contains(e.Metadata.ClrType)))
        {
            saving.AddOrUpdate(context, context);
        }
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && saving.Remove(context)) await SavedAsync();
        return await base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context) saving.Remove(context);
        return base.SaveChangesFailedAsync(eventData, cancellationToken);
    }
}
