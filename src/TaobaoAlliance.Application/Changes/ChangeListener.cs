using Microsoft.Extensions.Hosting;
using Npgsql;

namespace TaobaoAlliance.Application.Changes;

/// <summary>
/// Holds one connection that LISTENs on a PostgreSQL channel, so a change committed on any node (or by plain
/// SQL, through a statement trigger's NOTIFY) reaches this node within the notification's delivery time.
/// A silent dead connection is found by a probe when idle; a lost one is retried every second. Subclasses
/// say what a notification, a (re)connection — after which missed notifications must be assumed — and a
/// loss mean for what they keep in memory.
/// </summary>
public abstract class ChangeListener(NpgsqlDataSource dataSource, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(15);

    protected abstract string Channel { get; }

    /// <summary>Listening (again): whatever was kept before may have missed a change.</summary>
    protected abstract ValueTask ConnectedAsync(CancellationToken ct);

    protected abstract ValueTask NotifiedAsync(string payload, CancellationToken ct);

    /// <summary>No notifications can arrive, for <paramref name="deafFor"/> so far.</summary>
    protected virtual void Deaf(TimeSpan deafFor)
    {
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset? deafSince = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                var notified = new Queue<string>();
                connection.Notification += (_, e) => notified.Enqueue(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                await ConnectedAsync(stoppingToken);
                deafSince = null;
                logger.LogDebug("Listening on {Channel}", Channel);
                while (true)
                {
                    // Notifications are raised while the connection reads (waiting, or running LISTEN or a probe), in commit order.
                    while (notified.TryDequeue(out var payload)) await NotifiedAsync(payload, stoppingToken);
                    if (await connection.WaitAsync(ProbeInterval, stoppingToken)) continue;
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
                if (deafSince is null)
                {
                    deafSince = DateTimeOffset.UtcNow;
                    logger.LogWarning(e, "Lost the notifications on {Channel}; retrying every second", Channel);
                }
                else
                {
                    // Once is enough for the log: a database that is down for a while would otherwise fill it.
                    logger.LogDebug("Still no notifications on {Channel} since {DeafSince}: {Reason}", Channel, deafSince, e.Message);
                }
                Deaf(DateTimeOffset.UtcNow - deafSince.Value);
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
}
