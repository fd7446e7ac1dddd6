using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>
/// Commits clicks in groups. A click must be committed before its redirect is sent (product.md: a
/// redirected click is in the database even if the process dies right after), but one commit per
/// click makes every shopper wait on its own round trip and fsync. So requests queue their click and
/// wait; one loop takes everything waiting, writes it with one binary COPY (one round trip, one
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

    /// <summary>Enough to absorb a burst in one COPY, small enough that one failure faults few waiters.</summary>
    public const int MaxBatchSize = 500;

    private const string CopyCommand =
        "COPY clicks (id, occurred_at, link_id, webmaster_id, site_id, zone_id, item_id, shop_id, visitor_id, ip_hash, "
        + "user_agent, referrer, is_valid, invalid_reason, item_rate_bp, shop_rate_bp, campaign_id) FROM STDIN (FORMAT BINARY)";

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
                await CopyAsync(batch);
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
    }

    private async Task CopyAsync(List<PendingClick> batch)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        // COPY outside a transaction is one statement in its own transaction: all rows or none, and
        // committed by the time CompleteAsync returns.
        await using var copy = await connection.BeginBinaryImportAsync(CopyCommand);
        foreach (var click in batch.Select(p => p.Click))
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(click.Id, NpgsqlDbType.Uuid);
            await copy.WriteAsync(click.OccurredAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            await WriteNullableAsync(copy, click.LinkId, NpgsqlDbType.Bigint);
            await copy.WriteAsync(click.WebmasterId, NpgsqlDbType.Bigint);
            await copy.WriteAsync(click.SiteId, NpgsqlDbType.Bigint);
            await copy.WriteAsync(click.ZoneId, NpgsqlDbType.Bigint);
            await copy.WriteAsync(click.ItemId, NpgsqlDbType.Bigint);
            await copy.WriteAsync(click.ShopId, NpgsqlDbType.Bigint);
            await copy.WriteAsync(click.VisitorId, NpgsqlDbType.Uuid);
            await copy.WriteAsync(click.IpHash, NpgsqlDbType.Bytea);
            await WriteNullableAsync(copy, click.UserAgent, NpgsqlDbType.Varchar);
            await WriteNullableAsync(copy, click.Referrer, NpgsqlDbType.Varchar);
            await copy.WriteAsync(click.IsValid, NpgsqlDbType.Boolean);
            await WriteNullableAsync(copy, click.InvalidReason, NpgsqlDbType.Varchar);
            await copy.WriteAsync(click.ItemRateBp, NpgsqlDbType.Integer);
            await copy.WriteAsync(click.ShopRateBp, NpgsqlDbType.Integer);
            await WriteNullableAsync(copy, click.CampaignId, NpgsqlDbType.Bigint);
        }
        await copy.CompleteAsync();
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } v) await copy.WriteAsync(v, type);
        else await copy.WriteNullAsync();
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type)
    {
        if (value is not null) await copy.WriteAsync(value, type);
        else await copy.WriteNullAsync();
    }

    private sealed record PendingClick(Click Click, TaskCompletionSource Committed);
}
