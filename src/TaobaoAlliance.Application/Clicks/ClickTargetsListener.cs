using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>
/// Holds one connection that LISTENs on <see cref="ClickTargetTriggers.Channel"/> and drops the
/// <see cref="ClickTargets"/> on every notification: a change committed on any node takes effect
/// here within the notification's delivery time. A lost connection is retried every second; after
/// <see cref="ClickTargets.MaxDeafTime"/> without it the targets are dropped.
/// </summary>
public sealed class ClickTargetsListener(
    [FromKeyedServices(ClickWriter.DataSourceKey)] NpgsqlDataSource dataSource,
    ClickTargets targets,
    ILogger<ClickTargetsListener> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset? deafSince = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => targets.Heard(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ClickTargetTriggers.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                targets.Connected();
                deafSince = null;
                logger.LogDebug("Listening for changes of click targets");
                while (true)
                {
                    // A connection that died without a word would stop notifications silently: probe it when idle.
                    if (await connection.WaitAsync(ProbeInterval, stoppingToken)) continue;
                    await using var probe = new NpgsqlCommand("SELECT 1", connection);
                    await probe.ExecuteScalarAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Whatever broke the connection, the answer is the same: keep nothing, try again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                targets.Disconnected();
                if (deafSince is null)
                {
                    deafSince = DateTimeOffset.UtcNow;
                    logger.LogWarning(e, "Lost the notifications of click-target changes; retrying every second");
                }
                else
                {
                    // Once is enough for the log: a database that is down for a while would otherwise fill it.
                    logger.LogDebug("Still no notifications of click-target changes since {DeafSince}: {Reason}", deafSince, e.Message);
                }
                if (DateTimeOffset.UtcNow - deafSince > ClickTargets.MaxDeafTime) targets.Invalidate();
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
        targets.Disconnected();
    }
}
