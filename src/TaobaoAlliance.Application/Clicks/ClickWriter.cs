using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>
/// Commits clicks in groups. A click must be committed before its redirect is sent (product.md: a
/// redirected click is in the database even if the process dies right after), but one commit per
/// click makes every shopper wait on its own round trip and fsync. So requests queue their click and
/// wait; one loop takes everything waiting, writes it with one statement (one round trip, one
/// commit), then releases every waiter. Under load the batches grow by themselves; when idle a
/// batch is one click and costs no extra latency (there is no timer to wait for).
/// </summary>
public sealed class ClickWriter(
    [FromKeyedServices(ClickWriter.DataSourceKey)] NpgsqlDataSource dataSource,
    ClickMetrics metrics,
    ILogger<ClickWriter> logger) : BackgroundService
{
    /// <summary>Key of the writer's own <see cref="NpgsqlDataSource"/> in the service container.</summary>
    public const string DataSourceKey = "clicks";

    /// <summary>Enough to absorb a burst in one statement, small enough that one failure faults few waiters.</summary>
    public const int MaxBatchSize = 500;

    /// <summary>The loop's prepared insert on its own connection; null until the first batch and after a failure.</summary>
    private NpgsqlCommand? insert;

    // Unbounded is safe: every queued click has a request waiting on it, so the queue is never longer
    // than the number of requests in flight, which the server already limits.
    private readonly Channel<PendingClick> queue = Channel.CreateUnbounded<PendingClick>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Completes once the click is committed. Faults when its batch failed or the writer has stopped;
    /// the caller then writes the click on its own, so a click is never lost.
    /// </summary>
    public Task WriteAsync(Click click)
    {
        ArgumentNullException.ThrowIfNull(click);
        // Continuations run on the thread pool, not inline on the writer's loop, which goes on to the next batch.
        var pending = new PendingClick(click, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return queue.Writer.TryWrite(pending)
            ? pending.Committed.Task
            : Task.FromException(new InvalidOperationException("The click writer has stopped"));
    }

    /// <summary>Refuses new clicks, then lets the loop commit everything already queued before it ends.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        // Only if the loop never ran (stopped before it started) or shutdown timed out: those requests
        // must not wait forever; faulted, they write their clicks on their own.
        while (queue.Reader.TryRead(out var pending)) pending.Committed.TrySetException(new InvalidOperationException("The click writer has stopped"));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingClick>(MaxBatchSize);
        // Not stoppingToken: on shutdown the loop must drain the queue, and it ends when StopAsync
        // has completed the channel and the last queued click is written.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatchSize && queue.Reader.TryRead(out var pending)) batch.Add(pending);
            try
            {
                await InsertAsync(batch);
                metrics.BatchCommitted(batch.Count);
                foreach (var pending in batch) pending.Committed.TrySetResult();
            }
#pragma warning disable CA1031 // Any failure must reach the waiters (who fall back) and must not end the loop.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogError(e, "Writing a batch of {BatchSize} clicks failed; each request writes its click on its own", batch.Count);
                foreach (var pending in batch) pending.Committed.TrySetException(e);
            }
            batch.Clear();
        }
        await DropConnectionAsync();
    }

    /// <summary>
    /// One statement, one round trip (<see cref="ClickRows"/>), prepared once on the loop's own connection: COPY needs a
    /// second round trip to start, and a pooled connection forgets what it prepared. Outside a transaction the statement
    /// is its own: all rows or none, committed when it returns.
    /// </summary>
    private async Task InsertAsync(List<PendingClick> batch)
    {
        insert ??= await PrepareAsync();
        ClickRows.Bind(insert, batch.ConvertAll(p => p.Click));
        try
        {
            await insert.ExecuteNonQueryAsync();
        }
        catch
        {
            // The connection may be broken: the next batch opens and prepares anew.
            await DropConnectionAsync();
            throw;
        }
    }

    private async Task<NpgsqlCommand> PrepareAsync()
    {
        var connection = await dataSource.OpenConnectionAsync();
        var command = ClickRows.InsertCommand(connection);
        try
        {
            await command.PrepareAsync();
            return command;
        }
        catch
        {
            await command.DisposeAsync();
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task DropConnectionAsync()
    {
        if (insert is null) return;
        var connection = insert.Connection;
        await insert.DisposeAsync();
        insert = null;
        if (connection is not null) await connection.DisposeAsync();
    }

    private sealed record PendingClick(Click Click, TaskCompletionSource Committed);
}
