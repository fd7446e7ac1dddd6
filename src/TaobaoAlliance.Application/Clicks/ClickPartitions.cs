using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>What one maintenance run changed.</summary>
public sealed record ClickPartitionChanges(IReadOnlyList<string> Created, IReadOnlyList<string> Dropped);

/// <summary>
/// Keeps the clicks table's day partitions (see <see cref="ClickPartitioning"/>): at start-up and then every
/// <see cref="Interval"/>, creates today's and the next <see cref="ClickOptions.PartitionDaysAhead"/> days' partitions
/// (moving any of their rows out of the default partition) and drops the partitions entirely older than
/// <see cref="ClickOptions.RetentionDays"/>. Every change holds the same advisory lock as
/// <c>ensure_click_partitions</c>, so two nodes never make it at once; the click writer's batch waits for the
/// short exclusive lock on clicks a change takes and is never refused (a click without a partition goes to the
/// default one).
/// </summary>
public sealed class ClickPartitions(
    [FromKeyedServices(ClickWriter.DataSourceKey)] NpgsqlDataSource dataSource,
    IOptions<ClickOptions> options,
    TimeProvider clock,
    ILogger<ClickPartitions> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>After a failed run (PostgreSQL away, a lock not had in time): soon, not in an hour.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    // Creating or dropping a partition locks clicks exclusively for a moment, and every click insert queues behind
    // that lock while it waits: behind a long report it gives up after this and tries again a minute later (days
    // are made a week ahead, so there is time).
    private const string LockTimeout = "SET LOCAL lock_timeout = '1s'";

    private volatile ClickPartitionChanges? lastRun;

    /// <summary>What the last scheduled run changed; null until the start-up run has finished (tests wait on it).</summary>
    public ClickPartitionChanges? LastRun => lastRun;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = Interval;
            try
            {
                lastRun = await MaintainAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Click partitions not maintained; trying again in {Delay}", RetryDelay);
                delay = RetryDelay;
            }
            try
            {
                await Task.Delay(delay, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One run: create the days ahead, then drop the days past retention. Safe to call on any node at any time.</summary>
    public async Task<ClickPartitionChanges> MaintainAsync(CancellationToken ct)
    {
        var o = options.Value;
        var today = ChinaTime.Today(clock);
        DateOnly? keepFrom = o.RetentionDays == 0 ? null : today.AddDays(-o.RetentionDays);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var created = await CreateAsync(connection, today, today.AddDays(o.PartitionDaysAhead), keepFrom, ct);
        var dropped = keepFrom is { } from ? await DropBeforeAsync(connection, from, ct) : [];
        if (created.Count > 0) logger.LogInformation("Created click partitions {Partitions}", created);
        if (dropped.Count > 0) logger.LogInformation("Dropped click partitions {Partitions} (older than {RetentionDays} days)", dropped, o.RetentionDays);
        return new ClickPartitionChanges(created, dropped);
    }

    private static async Task<List<string>> CreateAsync(NpgsqlConnection connection, DateOnly today, DateOnly lastDay, DateOnly? keepFrom, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, tx, LockTimeout, ct);
        // Before reading the default partition: two nodes holding it shared and both waiting to lock it exclusively would deadlock.
        await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock({ClickPartitioning.AdvisoryLockSql})", ct);
        // From the oldest day waiting in the default partition (kept days only): a day no node made a partition
        // for in time (every node down over midnight) gets its partition and its rows, instead of leaving them there.
        await using var oldest = new NpgsqlCommand($"SELECT min(occurred_at) FROM {ClickPartitioning.DefaultPartition}", connection, tx);
        var firstDay = today;
        if (await oldest.ExecuteScalarAsync(ct) is DateTime oldestDefault)
        {
            var day = ChinaTime.DayOf(new DateTimeOffset(oldestDefault, TimeSpan.Zero));
            if (keepFrom is { } from && day < from) day = from;
            if (day < firstDay) firstDay = day;
        }
        await using var ensure = new NpgsqlCommand("SELECT ensure_click_partitions($1, $2)", connection, tx)
        {
            Parameters = { new() { Value = firstDay }, new() { Value = lastDay } },
        };
        var created = new List<string>();
        await using (var reader = await ensure.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) created.Add(reader.GetString(0));
        }
        if (keepFrom is { } keep)
        {
            // Past retention and without a partition of their own: they would otherwise stay forever.
            await using var purge = new NpgsqlCommand($"DELETE FROM {ClickPartitioning.DefaultPartition} WHERE occurred_at < $1", connection, tx)
            {
                Parameters = { new() { Value = ChinaTime.StartOf(keep) } },
            };
            await purge.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return created;
    }

    /// <summary>Drops each partition of a day before <paramref name="keepFrom"/>, one short transaction each.</summary>
    private static async Task<List<string>> DropBeforeAsync(NpgsqlConnection connection, DateOnly keepFrom, CancellationToken ct)
    {
        var old = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'clicks'::regclass", connection))
        await using (var reader = await list.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var name = reader.GetString(0);
                if (ClickPartitioning.DayOf(name) is { } day && day < keepFrom) old.Add(name);
            }
        }
        var dropped = new List<string>();
        foreach (var name in old.Order(StringComparer.Ordinal))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await ExecuteAsync(connection, tx, LockTimeout, ct);
            await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock({ClickPartitioning.AdvisoryLockSql})", ct);
            // Another node may have dropped it while we waited for the lock.
            await ExecuteAsync(connection, tx, $"DROP TABLE IF EXISTS \"{name}\"", ct);
            await tx.CommitAsync(ct);
            dropped.Add(name);
        }
        return dropped;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }
}
