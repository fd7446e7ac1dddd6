using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>
/// Holds one connection that LISTENs on <see cref="ClickTargetTriggers.Channel"/> and drops the
/// <see cref="ClickTargets"/> on every notification: a change committed on any node takes effect
/// here within the notification's delivery time. While the connection is down the targets keep
/// nothing (every click reads the database), and the connection is retried every second.
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
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => targets.Invalidate();
                await using (var listen = new NpgsqlCommand($"LISTEN {ClickTargetTriggers.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                targets.Listening(true);
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
                targets.Listening(false);
                logger.LogWarning(e, "Lost the notifications of click-target changes; clicks read the database until they are back");
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
        targets.Listening(false);
    }
}
