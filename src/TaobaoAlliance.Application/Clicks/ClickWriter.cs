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

    private const string InsertCommand =
        "INSERT INTO clicks (id, occurred_at, link_id, webmaster_id, site_id, zone_id, item_id, shop_id, visitor_id, ip_hash, "
        + "user_agent, referrer, is_valid, invalid_reason, item_rate_bp, shop_rate_bp, campaign_id) "
        + "SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";

    /// <summary>The element types of <see cref="InsertCommand"/>'s arrays, in its column order.</summary>
    private static readonly NpgsqlDbType[] ColumnTypes =
    [
        NpgsqlDbType.Uuid, NpgsqlDbType.TimestampTz, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint,
        NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Uuid, NpgsqlDbType.Bytea, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar,
        NpgsqlDbType.Boolean, NpgsqlDbType.Varchar, NpgsqlDbType.Integer, NpgsqlDbType.Integer, NpgsqlDbType.Bigint,
    ];

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
    /// One statement, one round trip: the batch goes as one array per column into a statement prepared once on the
    /// loop's own connection (COPY needs a second round trip to start, and a pooled connection forgets what it prepared).
    /// Outside a transaction the statement is its own: all rows or none, committed when it returns.
    /// </summary>
    private async Task InsertAsync(List<PendingClick> batch)
    {
        insert ??= await PrepareAsync();
        var n = batch.Count;
        var columns = insert.Parameters;
        var id = new Guid[n]; var occurredAt = new DateTime[n]; var linkId = new long?[n]; var webmasterId = new long[n];
        var siteId = new long[n]; var zoneId = new long[n]; var itemId = new long[n]; var shopId = new long[n];
        var visitorId = new Guid[n]; var ipHash = new byte[n][]; var userAgent = new string?[n]; var referrer = new string?[n];
        var isValid = new bool[n]; var invalidReason = new string?[n]; var itemRateBp = new int[n]; var shopRateBp = new int[n];
        var campaignId = new long?[n];
        for (var i = 0; i < n; i++)
        {
            var click = batch[i].Click;
            id[i] = click.Id; occurredAt[i] = click.OccurredAt.UtcDateTime; linkId[i] = click.LinkId; webmasterId[i] = click.WebmasterId;
            siteId[i] = click.SiteId; zoneId[i] = click.ZoneId; itemId[i] = click.ItemId; shopId[i] = click.ShopId;
            visitorId[i] = click.VisitorId; ipHash[i] = click.IpHash; userAgent[i] = click.UserAgent; referrer[i] = click.Referrer;
            isValid[i] = click.IsValid; invalidReason[i] = click.InvalidReason; itemRateBp[i] = click.ItemRateBp; shopRateBp[i] = click.ShopRateBp;
            campaignId[i] = click.CampaignId;
        }
        object[] values = [id, occurredAt, linkId, webmasterId, siteId, zoneId, itemId, shopId, visitorId, ipHash, userAgent, referrer,
            isValid, invalidReason, itemRateBp, shopRateBp, campaignId];
        for (var i = 0; i < values.Length; i++) columns[i].Value = values[i];
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
        var command = new NpgsqlCommand(InsertCommand, connection);
        foreach (var type in ColumnTypes) command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | type });
        await command.PrepareAsync();
        return command;
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
