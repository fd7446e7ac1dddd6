using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace TaobaoAlliance.Application.Changes;

/// <summary>
/// Calls <see cref="SavedAsync"/> once this node has committed a save that added, changed or deleted an entity of
/// one of the watched types: right after the save, or, when the caller holds a transaction, right after that
/// transaction commits (before, a reload would read the old rows and keep them). So what this node keeps in memory
/// shows its own change at once, without waiting for PostgreSQL's notification (a <see cref="ChangeListener"/>
/// still hears that one, as every node does).
/// </summary>
public abstract class SavedEntitiesInterceptor(params Type[] watched) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly HashSet<Type> watched = [.. watched];
    private readonly ConditionalWeakTable<DbContext, object> saving = [];
    private readonly ConditionalWeakTable<DbTransaction, object> committing = [];

    protected abstract ValueTask SavedAsync();

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && context.ChangeTracker.Entries().Any(e =>
                e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && watched.Contains(e.Metadata.ClrType)))
        {
            saving.AddOrUpdate(context, context);
        }
        return ValueTask.FromResult(result);
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && saving.Remove(context))
        {
            if (context.Database.CurrentTransaction is { } transaction) committing.AddOrUpdate(transaction.GetDbTransaction(), context);
            else await SavedAsync();
        }
        return result;
    }

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context) saving.Remove(context);
        return Task.CompletedTask;
    }

    public async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (committing.Remove(transaction)) await SavedAsync();
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        committing.Remove(transaction);
        return Task.CompletedTask;
    }
}
